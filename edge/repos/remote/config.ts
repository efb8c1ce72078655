import { z } from 'zod';
import { EdgeError, REMOTE_NOT_SMART_MESSAGE } from '../../../protocol/errors.ts';
import { REPO_KEY_PATTERN } from '../../../protocol/paths.ts';
import { REMOTE_REPOSITORY_DEFAULTS } from '../../../protocol/wire/repositories.ts';
import type { RepoRecord } from '../../storage/metadata.ts';

/**
 * What `GET /api/repositories/{key}` shows for a stored password (decision 0017): never the
 * password, and sending it back in an update keeps the stored one.
 */
export const PASSWORD_MASK = '*****';

const flag = z.boolean();
const seconds = z
  .number()
  .int()
  .min(0)
  .max(10 * 365 * 24 * 3600);
const text = (max: number) => z.string().max(max);
const enabled = z.looseObject({ enabled: flag.optional() });

/**
 * EDGE-SR-2: every JFrog remote field a smart remote on an Edge honours or keeps
 * (jfrog-compat.md §1.7, §2), typed; a field of the wrong type is INVALID_BODY naming it.
 * Fields JFrog has for other package types are kept as given, as for local repositories.
 */
export const remoteFields = z.looseObject({
  url: text(2048).optional(),
  username: text(256).optional(),
  password: text(1024).optional(),
  proxy: text(256).optional(),
  disableProxy: flag.optional(),
  remoteRepoChecksumPolicyType: z.enum(['generate-if-absent', 'fail', 'ignore-and-generate', 'pass-thru']).optional(),
  hardFail: flag.optional(),
  offline: flag.optional(),
  blackedOut: flag.optional(),
  storeArtifactsLocally: flag.optional(),
  socketTimeoutMillis: z.number().int().min(1).max(3_600_000).optional(),
  localAddress: text(256).optional(),
  retrievalCachePeriodSecs: seconds.optional(),
  missedRetrievalCachePeriodSecs: seconds.optional(),
  assumedOfflinePeriodSecs: seconds.optional(),
  metadataRetrievalTimeoutSecs: seconds.optional(),
  unusedArtifactsCleanupPeriodHours: z.number().int().min(0).optional(),
  shareConfiguration: flag.optional(),
  synchronizeProperties: flag.optional(),
  listRemoteFolderItems: flag.optional(),
  blockMismatchingMimeTypes: flag.optional(),
  bypassHeadRequests: flag.optional(),
  allowAnyHostAuth: flag.optional(),
  enableCookieManagement: flag.optional(),
  enableTokenAuthentication: flag.optional(),
  downloadRedirect: flag.optional(),
  cdnRedirect: flag.optional(),
  disableUrlNormalization: flag.optional(),
  priorityResolution: flag.optional(),
  xrayIndex: flag.optional(),
  archiveBrowsingEnabled: flag.optional(),
  propertySets: z.array(text(256)).optional(),
  repoLayoutRef: text(256).optional(),
  checksumPolicyType: text(64).optional(),
  contentSynchronisation: z
    .looseObject({
      enabled: flag.optional(),
      statistics: enabled.optional(),
      properties: enabled.optional(),
      source: z.looseObject({ originAbsenceDetection: flag.optional() }).optional(),
    })
    .optional(),
});
export type RemoteFields = z.infer<typeof remoteFields>;

/** A smart remote's configuration as the Edge acts on it. */
export interface RemoteConfig {
  key: string;
  /** `<base>/<upstreamRepo>`, no trailing slash. */
  url: string;
  /** The upstream's `.../artifactory`. */
  base: string;
  upstreamRepo: string;
  username: string;
  password: string;
  hardFail: boolean;
  offline: boolean;
  blackedOut: boolean;
  storeArtifactsLocally: boolean;
  socketTimeoutMillis: number;
  retrievalCachePeriodMs: number;
  missedRetrievalCachePeriodMs: number;
  assumedOfflinePeriodMs: number;
  listRemoteFolderItems: boolean;
  bypassHeadRequests: boolean;
  propertiesSync: boolean;
  originAbsenceDetection: boolean;
}

/** EDGE-SR-1: the repository URL of an Artifactory (or Edge): `http(s)://host[:port][/prefix]/artifactory/<repoKey>`. */
export function parseUpstreamUrl(value: unknown): { url: string; base: string; upstreamRepo: string } {
  if (typeof value !== 'string' || value.trim() === '') throw notSmart("'url' is missing");
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw notSmart(`'url' ${printable(value)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw notSmart(`'url' ${printable(value)} is not an http(s) URL`);
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw notSmart(`'url' ${printable(value)} must not carry credentials, a query or a fragment (use 'username' and 'password')`);
  }
  const match = /^(.*\/artifactory)\/([^/]+)\/?$/.exec(parsed.pathname);
  const upstreamRepo = match?.[2] && decodeURIComponent(match[2]);
  if (!match || !upstreamRepo || !REPO_KEY_PATTERN.test(upstreamRepo)) {
    throw notSmart(`'url' ${printable(value)} does not name a repository as http(s)://host[:port]/artifactory/<repoKey>`);
  }
  const base = `${parsed.origin}${match[1]}`;
  return { url: `${base}/${upstreamRepo}`, base, upstreamRepo };
}

/** EDGE-SR-1: the 400 JFrog's Edge gives for remotes it cannot use, naming the field and why. */
export function notSmart(reason: string): EdgeError {
  return new EdgeError('REMOTE_NOT_SMART', `${REMOTE_NOT_SMART_MESSAGE}: ${reason}.`);
}

function printable(value: string): string {
  return value.length > 200 ? `${value.slice(0, 197)}...` : value;
}

/**
 * EDGE-SR-2: the stored configuration: JFrog's defaults under what was given (and, on an
 * update, under what was stored), `contentSynchronisation` merged member by member. A masked
 * password keeps the stored one.
 */
export function mergeRemoteConfig(given: RemoteFields, stored: Record<string, unknown> = REMOTE_REPOSITORY_DEFAULTS): Record<string, unknown> {
  const { password, contentSynchronisation, ...rest } = given;
  const storedSync = (stored.contentSynchronisation ?? REMOTE_REPOSITORY_DEFAULTS.contentSynchronisation) as Record<string, Record<string, unknown>>;
  const sync = {
    ...storedSync,
    ...contentSynchronisation,
    statistics: { ...storedSync.statistics, ...contentSynchronisation?.statistics },
    properties: { ...storedSync.properties, ...contentSynchronisation?.properties },
    source: { ...storedSync.source, ...contentSynchronisation?.source },
  };
  const merged: Record<string, unknown> = { ...REMOTE_REPOSITORY_DEFAULTS, ...stored, ...rest, contentSynchronisation: sync };
  if (password !== undefined && password !== PASSWORD_MASK) merged.password = password;
  if (merged.password === '') delete merged.password;
  return merged;
}

/** EDGE-SR-2: the configuration as `GET /api/repositories/{key}` shows it: the password masked. */
export function publicRemoteConfig(config: Record<string, unknown>): Record<string, unknown> {
  return typeof config.password === 'string' ? { ...config, password: PASSWORD_MASK } : config;
}

/** The stored configuration of a smart remote, as the Edge acts on it. */
export function remoteConfigOf(repo: RepoRecord): RemoteConfig {
  const c = { ...REMOTE_REPOSITORY_DEFAULTS, ...repo.config } as typeof REMOTE_REPOSITORY_DEFAULTS & Record<string, unknown>;
  const { url, base, upstreamRepo } = parseUpstreamUrl(c.url);
  const sync = (c.contentSynchronisation ?? {}) as { properties?: { enabled?: boolean }; source?: { originAbsenceDetection?: boolean } };
  return {
    key: repo.key,
    url,
    base,
    upstreamRepo,
    username: typeof c.username === 'string' ? c.username : '',
    password: typeof c.password === 'string' ? c.password : '',
    hardFail: c.hardFail === true,
    offline: c.offline === true,
    blackedOut: c.blackedOut === true,
    storeArtifactsLocally: c.storeArtifactsLocally !== false,
    socketTimeoutMillis: c.socketTimeoutMillis,
    retrievalCachePeriodMs: c.retrievalCachePeriodSecs * 1000,
    missedRetrievalCachePeriodMs: c.missedRetrievalCachePeriodSecs * 1000,
    assumedOfflinePeriodMs: c.assumedOfflinePeriodSecs * 1000,
    listRemoteFolderItems: c.listRemoteFolderItems !== false,
    bypassHeadRequests: c.bypassHeadRequests === true,
    propertiesSync: sync.properties?.enabled === true || c.synchronizeProperties === true,
    originAbsenceDetection: sync.source?.originAbsenceDetection === true,
  };
}
