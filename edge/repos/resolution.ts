import type { Readable } from 'node:stream';
import type { ByteRange } from '../storage/content.ts';
import type { ItemRecord } from '../storage/metadata.ts';
import type { Principal } from '../trust/principal.ts';
import type { Resolved as LocalResolved } from './artifacts.ts';

/**
 * What a path resolves to, whatever the repository class. Through a virtual, `repo` is the
 * virtual and `member` the resolution in the member that answers (for a folder: the first
 * member that holds it); follow `member` to where the item lies (`whereItLies`).
 */
export type Resolved = LocalResolved & { member?: Resolved };

/** What a GET/HEAD of /artifactory/{repo}/{path} or the storage API reads, whatever the repository class. */
export interface RepositoryReads {
  /** A file or folder for reading; unreadable looks exactly like absent (EDGE-AUTH-3). */
  resolve(principal: Principal, address: { repo: string; path: string }): Promise<Resolved>;
  /** The direct children of a resolved folder that the caller may read (merged for remote/virtual). */
  children(principal: Principal, resolved: Resolved): Promise<ItemRecord[]>;
  /** What a resolved folder holds down to `depth` levels, as far as the caller may read it. */
  list(principal: Principal, resolved: Resolved, depth: number): Promise<ItemRecord[]>;
  /** A file's body: cached content, or the upstream's bytes as they pass into the cache. */
  open(principal: Principal, resolved: Resolved, range?: ByteRange): Promise<Readable>;
  /** EDGE-SR-15: what a storage-info request learns afresh of a cached item (the item as it was, when nothing). */
  refresh?(resolved: Resolved): Promise<Resolved>;
}

/** The resolution in the repository that holds the item: itself unless resolved through a virtual. */
export function whereItLies(resolved: Resolved): Resolved {
  return resolved.member ? whereItLies(resolved.member) : resolved;
}
