import type { Checksums } from '../../protocol/checksums.ts';
import type { WireItem } from '../../protocol/wire/items.ts';
import type { Properties } from '../../protocol/wire/properties.ts';
import type { BundleStore } from './bundles.ts';
import type { FileRecord } from './file-record.ts';
import type { ContentReferences } from './content.ts';

/**
 * The repository-neutral metadata interface. Every method is one atomic operation, so a
 * PostgreSQL implementation can sit behind it without any route changing. All times are
 * milliseconds since the epoch.
 */

export type RepoClass = 'local' | 'remote' | 'virtual';

export interface RepoRecord {
  key: string;
  rclass: RepoClass;
  packageType: string;
  /** The JFrog-shaped configuration as stored (without key/rclass/packageType duplicates). */
  config: Record<string, unknown>;
  created: number;
}

/** A stored file or folder: exactly what the wire shapes (jfrog-compat.md §1.4) are built from. */
export type ItemRecord = WireItem;

/** A deployed file: its properties (matrix parameters) replace any the path had. */
export type NewFile = FileRecord;

export interface UserRecord {
  name: string;
  email: string;
  passwordHash: string;
  admin: boolean;
  groups: string[];
  created: number;
}

export interface PermissionTarget {
  name: string;
  repositories: string[];
  includePatterns: string[];
  excludePatterns: string[];
  users: Record<string, string[]>;
  groups: Record<string, string[]>;
}

export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  /** Sets the value only when the key has none; returns the value that holds afterwards. */
  setIfAbsent(key: string, value: string): Promise<string>;
  /** Sets the value, replacing any (EDGE-HA-2: a node's heartbeat row). */
  put(key: string, value: string): Promise<void>;
  /** Every key starting with `prefix`, with its value, by key. */
  withPrefix(prefix: string): Promise<[key: string, value: string][]>;
}

export interface RepoStore {
  list(): Promise<RepoRecord[]>;
  get(key: string): Promise<RepoRecord | undefined>;
  create(repo: RepoRecord): Promise<void>;
  update(repo: RepoRecord): Promise<void>;
  /** Removes the repository with all its items; returns the SHA-256s its files referenced. */
  delete(key: string): Promise<string[]>;
}

export interface ItemStore {
  get(repo: string, path: string): Promise<ItemRecord | undefined>;
  /** Direct children of a folder ('' = root), folders first, then by name. */
  children(repo: string, folder: string): Promise<ItemRecord[]>;
  /** Every item below a folder ('' = root) down to `depth` levels (Infinity = all). */
  descendants(repo: string, folder: string, depth: number): Promise<ItemRecord[]>;
  /** Creates missing parent folders and the file; replaces a file at the same path. */
  putFile(file: NewFile): Promise<{ replaced: ItemRecord | undefined }>;
  /** Creates the folder and its missing parents; true when anything was created. */
  putFolder(repo: string, path: string, by: string, at: number): Promise<boolean>;
  /**
   * Removes the given items of one repository: every file among them, then every folder among
   * them that is left empty. Returns the SHA-256s the removed files referenced.
   */
  deleteItems(repo: string, paths: readonly string[]): Promise<string[]>;
  /**
   * Copies (or moves) the given items — `from.path` and paths below it — to the same places
   * below `to.path`, in one step. A move removes the moved files, then the moved folders left
   * empty. Returns the counts and the SHA-256s released by replaced files.
   */
  copyItems(
    from: { repo: string; path: string },
    to: { repo: string; path: string },
    paths: readonly string[],
    opts: { move: boolean; by: string; at: number },
  ): Promise<{ files: number; folders: number; released: string[] }>;
  /** How many files, and files staged by OPEN transactions, reference this content. */
  referencesTo(sha256: string): Promise<number>;
  /** The files with this checksum in the given repositories, for deploy-by-checksum. */
  withChecksum(algorithm: keyof Checksums, hex: string, repos: readonly string[]): Promise<ItemRecord[]>;
}

export interface PropertyStore {
  get(repo: string, path: string): Promise<Properties>;
  /** On each of the items: `null` removes the key, a list replaces its values. */
  patch(repo: string, paths: readonly string[], patch: Record<string, string[] | null>): Promise<void>;
}

/**
 * Where a smart remote's cached file came from, and what the Edge last learned of the upstream's
 * copy (EDGE-SR-12, EDGE-SR-15). Times in ms.
 */
export interface RemoteOrigin {
  /** The file's URL on the upstream. */
  remoteUrl: string;
  /** When the upstream was last asked about the file (its caching counts). */
  checked: number;
  /** The upstream answered, at `checked`, that it no longer has the file. */
  originAbsent: boolean;
}

/** The cached files of smart remote repositories: ordinary items, plus their origin. */
export interface RemoteCacheStore {
  /** EDGE-SR-4: stores the file (as `ItemStore.putFile`) and its origin in one step. */
  putCached(file: NewFile, origin: RemoteOrigin): Promise<{ replaced: ItemRecord | undefined }>;
  /** The origin of a cached file; undefined when the path holds no cached file. */
  origin(repo: string, path: string): Promise<RemoteOrigin | undefined>;
  /** EDGE-SR-15: records a check of the upstream's copy; nothing happens when the file is not cached. */
  markChecked(repo: string, path: string, at: number, originAbsent: boolean): Promise<void>;
}

/** How another process's download of a file ended (EDGE-HA-5), for the requests that waited on it. */
export type FetchOutcome = 'cached' | 'discarded' | 'missed' | 'folder' | 'unreachable' | 'failed';

/** The state of the one download of a file among the processes sharing the store (EDGE-HA-5). */
export type FetchClaim = { taken: true } | { taken: false; holder: string; outcome: FetchOutcome | null };

/**
 * EDGE-HA-5: what smart remotes learn of their upstreams, kept in the store so that every
 * process sharing it (workers, the nodes of a cluster) honours it: remembered misses
 * (EDGE-SR-8), the assumed-offline period (EDGE-SR-9) and who downloads a file now (EDGE-SR-7).
 * Times in ms, from the callers' clocks; a row past its `until` counts as absent.
 */
export interface UpstreamMemory {
  /** EDGE-SR-8: the upstream's 404 for the path is remembered at `now`. */
  missed(repo: string, path: string, now: number): Promise<boolean>;
  /** Also lets go of the misses lapsed at `now`. */
  rememberMiss(repo: string, path: string, until: number, now: number): Promise<void>;
  /** EDGE-SR-9: the upstream is assumed offline at `now`. */
  offline(repo: string, now: number): Promise<boolean>;
  rememberOffline(repo: string, until: number): Promise<void>;
  /** A changed or removed repository starts afresh: its misses and offline period go. */
  forget(repo: string): Promise<void>;
  /**
   * EDGE-SR-7: claims the one download of the file for `holder` until `until`. Taken when no
   * claim holds at `now`: none, one lapsed (its holder died), or one that ended, unless it is
   * the one the caller waits on (`waitingOn`), whose outcome the caller is to learn instead.
   */
  claimFetch(repo: string, path: string, holder: string, until: number, now: number, waitingOn?: string): Promise<FetchClaim>;
  /** The holder's download goes on: its claim is extended; false when it lost it. */
  renewFetch(repo: string, path: string, holder: string, until: number): Promise<boolean>;
  /** The holder's download ended: its outcome is kept until `until`, for those who waited. */
  endFetch(repo: string, path: string, holder: string, outcome: FetchOutcome, until: number): Promise<void>;
}

export interface UserStore {
  /**
   * EDGE-AUTH-10: grows with every write to users and permission targets (never goes back), so
   * caches of credentials and permissions can tell they may be out of date. It must move for a
   * write made by ANY process sharing the store: SQLite's counts this process's writes, which is
   * all there are while one process owns the data directory (EDGE-OPS-1); a store shared by
   * several workers or Edges must derive it from the store itself (a row bumped in each write's
   * transaction), or the caches would outlive another process's revocation.
   */
  version(): number;
  /**
   * EDGE-AUTH-11: brings `version()` — and `TokenStore.version()` — up to every write any
   * process committed before the call, so a credential cached by this process is confirmed
   * before it is honoured. A store whose `version()` already reads the shared row each time
   * (SQLite) has nothing to do; one that learns of other processes' writes by notification
   * (PostgreSQL) reads its version rows once (one round trip).
   */
  confirmVersion(): Promise<void>;
  list(): Promise<UserRecord[]>;
  get(name: string): Promise<UserRecord | undefined>;
  /** Inserts or replaces. */
  put(user: UserRecord): Promise<void>;
  delete(name: string): Promise<boolean>;
  permissions(): Promise<PermissionTarget[]>;
  getPermission(name: string): Promise<PermissionTarget | undefined>;
  putPermission(target: PermissionTarget): Promise<void>;
  deletePermission(name: string): Promise<boolean>;
}

/** An access token this Edge issued (EDGE-TRUST-16). Times in ms. */
export interface TokenRecord {
  /** The token's `jti`, also its `token_id`. */
  id: string;
  subject: string;
  scope: string;
  audience: string[];
  description: string;
  issued: number;
  expiry: number;
  /** SHA-256 of the refresh token, when the token is refreshable. */
  refreshHash: string | null;
  revoked: number | null;
}

export interface TokenStore {
  /** EDGE-AUTH-10: grows with every write (an issue, a revocation, a refresh) by any process sharing the store, never goes back (see `UserStore.version`). */
  version(): number;
  add(token: TokenRecord): Promise<void>;
  get(id: string): Promise<TokenRecord | undefined>;
  list(): Promise<TokenRecord[]>;
  byRefreshHash(hash: string): Promise<TokenRecord | undefined>;
  /** Marks the token revoked (once); false when no such token was issued. */
  revoke(id: string, at: number): Promise<boolean>;
  /** Revokes `oldId` and adds `next` atomically; false when `oldId` was already revoked. */
  replace(oldId: string, next: TokenRecord, at: number): Promise<boolean>;
}

/**
 * Housekeeping that must not run twice at once among the processes sharing a store (several
 * workers of one Edge, several Edges of a cluster): the start-up content sweep, transaction expiry.
 */
export interface JobLeases {
  /**
   * EDGE-OPS-8: runs `run` unless another holder (this process or another one sharing the
   * store) runs the same job; then returns undefined without running it. A lease left by a
   * holder that died lapses after `leaseMs`.
   */
  runExclusive<T>(job: string, run: () => Promise<T>, leaseMs?: number): Promise<T | undefined>;
}

export interface MetadataStore {
  readonly meta: MetaStore;
  readonly leases: JobLeases;
  readonly repos: RepoStore;
  readonly items: ItemStore;
  readonly properties: PropertyStore;
  readonly users: UserStore;
  readonly bundles: BundleStore;
  readonly tokens: TokenStore;
  readonly remoteCache: RemoteCacheStore;
  readonly upstreamMemory: UpstreamMemory;
  /** Every SHA-256 referenced by any file or OPEN transaction, for reclaiming unreferenced content. */
  referencedContent(): Promise<Set<string>>;
  close(): Promise<void>;
}

/** The references a content store counts before it reclaims anything: files, and files staged by OPEN transactions. */
export function contentReferences(metadata: MetadataStore): ContentReferences {
  return { referencesTo: (sha256) => metadata.items.referencesTo(sha256), referencedContent: () => metadata.referencedContent() };
}
