import type { Readable } from 'node:stream';
import type { ByteRange, ContentReferences, ContentStore, IngestLimits, StagedContent, StagingFile } from './content.ts';
import type { FileStore } from './filestore.ts';

/** EDGE-CLU-3: how old unreferenced content must be before a start-up sweep reclaims it. */
export const SWEEP_GRACE_MS = 10 * 60_000;

/** The ContentStore on a local filestore; its per-content lock orders publishing against reclaiming. */
export class LocalContentStore implements ContentStore {
  constructor(
    private readonly files: FileStore,
    private readonly references: ContentReferences,
  ) {}

  stage(source: AsyncIterable<Uint8Array>, limits: IngestLimits): Promise<StagedContent> {
    return this.files.stage(source, limits);
  }

  openStaging(limits: IngestLimits): Promise<StagingFile> {
    return this.files.openStaging(limits);
  }

  async commit<T>(staged: StagedContent, record: () => Promise<T>): Promise<T> {
    const { sha256 } = staged.checksums;
    return this.files.withLock(sha256, async () => {
      // EDGE-DUR-2: the row comes after `publish` has made the blob durable, never before.
      await staged.publish();
      try {
        return await record();
      } catch (error) {
        // The row was refused (e.g. a file where a folder must be): leave no unreferenced bytes.
        await this.#removeIfUnreferenced(sha256);
        throw error;
      }
    });
  }

  async reference<T>(sha256: string, record: () => Promise<T>): Promise<T | undefined> {
    return this.files.withLock(sha256, async () => ((await this.files.has(sha256)) ? record() : undefined));
  }

  async release(sha256s: Iterable<string>): Promise<void> {
    for (const sha256 of new Set(sha256s)) await this.files.withLock(sha256, () => this.#removeIfUnreferenced(sha256));
  }

  async #removeIfUnreferenced(sha256: string): Promise<void> {
    if ((await this.references.referencesTo(sha256)) === 0) await this.files.remove(sha256);
  }

  has(sha256: string): Promise<boolean> {
    return this.files.has(sha256);
  }

  read(sha256: string, size: number, range?: ByteRange): Readable {
    return this.files.read(sha256, size, range);
  }

  /** EDGE-CLU-3: the age of a blob is its file's mtime (a rename keeps the staging's last write). */
  async sweep(olderThanMs = SWEEP_GRACE_MS): Promise<number> {
    const referenced = await this.references.referencedContent();
    const before = Date.now() - olderThanMs;
    let removed = 0;
    for await (const sha256 of this.files.list()) {
      if (!referenced.has(sha256) && (olderThanMs <= 0 || ((await this.files.modifiedAt(sha256)) ?? before) < before)) {
        await this.files.remove(sha256);
        removed++;
      }
    }
    return removed;
  }
}
