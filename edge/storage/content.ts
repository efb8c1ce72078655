import type { FileStore, StagedContent } from './filestore.ts';
import type { MetadataStore } from './metadata.ts';

/**
 * Keeps the filestore and the metadata in step: content becomes visible only together with the
 * row that references it, and is reclaimed only when no row references it any more.
 */
export class ContentStore {
  constructor(
    readonly files: FileStore,
    private readonly metadata: MetadataStore,
  ) {}

  /**
   * Publishes staged bytes and records their reference as one step under the content's lock.
   * EDGE-DUR-2: the row comes after `publish` has made the blob durable, never before.
   */
  async commit<T>(staged: StagedContent, record: () => Promise<T>): Promise<T> {
    const { sha256 } = staged.checksums;
    return this.files.withLock(sha256, async () => {
      await staged.publish();
      try {
        return await record();
      } catch (error) {
        // The row was refused (e.g. a file where a folder must be): leave no unreferenced bytes.
        if ((await this.metadata.items.referencesTo(sha256)) === 0) await this.files.remove(sha256);
        throw error;
      }
    });
  }

  /** Records a new reference to content already held (deploy by checksum, copy). */
  async reference<T>(sha256: string, record: () => Promise<T>): Promise<T | undefined> {
    return this.files.withLock(sha256, async () => ((await this.files.has(sha256)) ? record() : undefined));
  }

  /** EDGE-ART-3: removes content that lost its last reference. */
  async release(sha256s: Iterable<string>): Promise<void> {
    for (const sha256 of new Set(sha256s)) {
      await this.files.withLock(sha256, async () => {
        if ((await this.metadata.items.referencesTo(sha256)) === 0) await this.files.remove(sha256);
      });
    }
  }

  /** Start-up reconciliation: blobs that no row references (a crash between rename and insert). */
  async sweep(): Promise<number> {
    const referenced = await this.metadata.referencedContent();
    let removed = 0;
    for await (const sha256 of this.files.list()) {
      if (!referenced.has(sha256)) {
        await this.files.remove(sha256);
        removed++;
      }
    }
    return removed;
  }
}
