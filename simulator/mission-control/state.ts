/**
 * What Mission Control knows about each JPD (JFrog Platform Deployment). The record keeps the
 * credentials to reach the site; `jpdJson` never shows them.
 */

export interface JpdLocation {
  city_name: string;
  /** ISO 3166 alpha-2, upper case (jfrog-compat.md §4: exactly 2 letters). */
  country_code: string;
  latitude: number;
  longitude: number;
}

/** ONLINE/OFFLINE/UNAUTHORIZED from a health check; UNKNOWN until the first one. */
export type JpdStatusCode = 'ONLINE' | 'OFFLINE' | 'UNAUTHORIZED' | 'UNKNOWN';

export interface JpdStatus {
  code: JpdStatusCode;
  message: string;
  /** The HTTP status the site answered to the ping; null when it did not answer at all. */
  http_status: number | null;
  /** ISO time of the check; null before the first one. */
  checked_at: string | null;
}

export type JpdCredentials = { type: 'token'; token: string } | { type: 'basic'; username: string; password: string };

export interface JpdRecord {
  id: string;
  name: string;
  /** Always ends with "/" (jfrog-compat.md §4: Terraform requires it). */
  url: string;
  location: JpdLocation;
  licenses: { type: string }[];
  tags: string[];
  credentials: JpdCredentials;
  /** Learned from the site when a health check reaches it. */
  serviceId: string | undefined;
  status: JpdStatus;
}

export interface MissionControlState {
  jpds: Map<string, JpdRecord>;
  nextId: number;
}

export function emptyState(): MissionControlState {
  return { jpds: new Map(), nextId: 1 };
}

export const UNCHECKED: JpdStatus = { code: 'UNKNOWN', message: 'Not checked yet.', http_status: null, checked_at: null };

/** The site's base URL without the trailing slash, to append `/artifactory/...` to. */
export function baseUrl(jpd: Pick<JpdRecord, 'url'>): string {
  return jpd.url.replace(/\/+$/, '');
}

/** The `Authorization` header value that reaches the site with the stored credentials. */
export function authorizationOf(credentials: JpdCredentials): string {
  return credentials.type === 'token'
    ? `Bearer ${credentials.token}`
    : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/**
 * The JPD as MC answers it (jfrog-compat.md §4, `jpdGetResponseAPIModel`). Credentials are
 * described (`credentials.type`, the username) but never echoed.
 */
export function jpdJson(jpd: JpdRecord): Record<string, unknown> {
  const service: Record<string, unknown> = { type: 'ARTIFACTORY', status: { code: jpd.status.code } };
  if (jpd.serviceId !== undefined) service.service_id = jpd.serviceId;
  return {
    id: jpd.id,
    name: jpd.name,
    url: jpd.url,
    base_url: baseUrl(jpd),
    location: jpd.location,
    local: false,
    licenses: jpd.licenses.map((license) => ({ type: license.type, expired: false })),
    services: [service],
    status: { ...jpd.status, warnings: [] },
    tags: jpd.tags,
    is_cold_storage: false,
    credentials: jpd.credentials.type === 'token' ? { type: 'token' } : { type: 'basic', username: jpd.credentials.username },
  };
}
