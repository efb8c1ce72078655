import type { Readable } from 'node:stream';
import type { ByteRange, ContentReferences, ContentStore, IngestLimits, StagedContent, StagingFile } from './content.ts';
import { ContentLocks } from './content-locks.ts';

/** EDGE-CLU-3: content younger than this may be published by another live process that has not recorded it yet. */
export const SWEEP_GRACE_MS = 10 * 60_000;

/** One content a store holds, and when it was last written there. */
export interface HeldContent {
  sha256: string;
  modifiedMs: number;
}

/**
 * The rules every content store keeps with the metadata, whatever holds its bytes (an object
 * store, shards of disks): publish then record (EDGE-DUR-2), reclaim only what nothing
 * references (EDGE-ART-3), and sweep only what is older than the grace (EDGE-CLU-3). Stores
 * provide the bytes' primitives.
 */
export abstract class ReferencedContentStore implements ContentStore {
  readonly #locks = new ContentLocks();

  constructor(
    protected readonly references: ContentReferences,
    /** The clock sweep ages content by; tests move it. */
    protected readonly now: () => number,
  ) {}

  abstract stage(source: AsyncIterable<Uint8Array>, limits: IngestLimits): Promise<StagedContent>;
  abstract openStaging(limits: IngestLimits): Promise<StagingFile>;
  abstract has(sha256: string): Promise<boolean>;
  abstract read(sha256: string, size: number, range?: ByteRange): Readable;
  /** Removes every copy of the content; no error when there is none. */
  protected abstract remove(sha256: string): Promise<void>;
  /** Every content held, published ones only. */
  protected abstract held(): AsyncIterable<HeldContent>;
  /** Drops staging a crashed process left, older than `olderThanMs`. */
  protected abstract removeStaleStaging(cutoffMs: number): Promise<void>;

  async commit<T>(staged: StagedContent, record: () => Promise<T>): Promise<T> {
    const { sha256 } = staged.checksums;
    return this.#locks.run(sha256, async () => {
      // EDGE-DUR-2: the row comes after `publish` has made the content durable, never before.
      await staged.publish();
      try {
        return await record();
      } catch (error) {
        await this.#removeIfUnreferenced(sha256);
        throw error;
      }
    });
  }

  async reference<T>(sha256: string, record: () => Promise<T>): Promise<T | undefined> {
    return this.#locks.run(sha256, async () => ((await this.has(sha256)) ? record() : undefined));
  }

  async release(sha256s: Iterable<string>): Promise<void> {
    for (const sha256 of new Set(sha256s)) await this.#locks.run(sha256, () => this.#removeIfUnreferenced(sha256));
  }

  async #removeIfUnreferenced(sha256: string): Promise<void> {
    if ((await this.references.referencesTo(sha256)) === 0) await this.remove(sha256);
  }

  /** EDGE-CLU-3: reclaims unreferenced content older than `olderThanMs` only. */
  async sweep(olderThanMs = SWEEP_GRACE_MS): Promise<number> {
    const cutoff = this.now() - olderThanMs;
    const referenced = await this.references.referencedContent();
    let removed = 0;
    for await (const { sha256, modifiedMs } of this.held()) {
      // No grace (0) takes every unreferenced content, whatever its clock says of its age.
      if (referenced.has(sha256) || (olderThanMs > 0 && modifiedMs > cutoff)) continue;
      await this.#locks.run(sha256, async () => {
        if ((await this.references.referencesTo(sha256)) > 0) return;
        await this.remove(sha256);
        removed++;
      });
    }
    await this.removeStaleStaging(cutoff);
    return removed;
  }
}
