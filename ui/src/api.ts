import type { Session } from './session.ts';

/**
 * The Edge's public REST API, called with the signed-in user's credentials and nothing else
 * (EDGE-UI-2): the UI shows what these calls answer, so it never shows what a GET would refuse.
 */

/** A refusal, carrying Artifactory's message (and the Edge's code) from the error body. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export const ART = '/artifactory';

/** Artifactory's `{"errors":[{status, message, code}]}`, or the status line when the body is something else. */
export function refusalOf(status: number, body: string): ApiRefusal {
  try {
    const first = (JSON.parse(body) as { errors?: { message?: string; code?: string }[] }).errors?.[0];
    if (first?.message) return new ApiRefusal(status, first.message, first.code);
  } catch {
    // not Artifactory's error body
  }
  return new ApiRefusal(status, `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
}

export function headersFor(session: Session, extra: Record<string, string> = {}): Record<string, string> {
  return session.authorization ? { authorization: session.authorization, ...extra } : extra;
}

export async function call(session: Session, path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(path, { ...init, headers: headersFor(session, init.headers as Record<string, string>), credentials: 'omit' });
  if (!response.ok) throw refusalOf(response.status, await response.text());
  return response;
}

export async function getJson<T>(session: Session, path: string): Promise<T> {
  return (await call(session, path)).json() as Promise<T>;
}

export async function getText(session: Session, path: string): Promise<string> {
  return (await call(session, path)).text();
}

/** Each segment encoded, separators kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export interface Repository {
  key: string;
  type: string;
  description?: string;
  packageType: string;
}

export interface FolderInfo {
  repo: string;
  path: string;
  created: string;
  children: { uri: string; folder: boolean }[];
}

export interface FileInfo {
  repo: string;
  path: string;
  created: string;
  lastModified?: string;
  size: string;
  mimeType?: string;
  checksums: { sha1?: string; md5?: string; sha256?: string };
  remoteUrl?: string;
  originAbsent?: boolean;
}

export function isFile(info: FolderInfo | FileInfo): info is FileInfo {
  return !('children' in info);
}

/** The repository uploads go to; every other one is read-only on an Edge (EDGE-RO). */
export const UPLOADS_REPO = 'artifactory-edge-uploads';
