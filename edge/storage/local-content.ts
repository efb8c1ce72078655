import type { Readable } from 'node:stream';
import type { ByteRange, ContentReferences, IngestLimits, StagedContent, StagingFile } from './content.ts';
import type { FileStore } from './filestore.ts';
import { type HeldContent, ReferencedContentStore } from './referenced-content.ts';

/** The ContentStore on one local filestore: the filestore keeps the bytes, the base class the rules. */
export class LocalContentStore extends ReferencedContentStore {
  constructor(
    private readonly files: FileStore,
    references: ContentReferences,
    now: () => number = Date.now,
  ) {
    super(references, now);
  }

  stage(source: AsyncIterable<Uint8Array>, limits: IngestLimits): Promise<StagedContent> {
    return this.files.stage(source, limits);
  }

  openStaging(limits: IngestLimits): Promise<StagingFile> {
    return this.files.openStaging(limits);
  }

  has(sha256: string): Promise<boolean> {
    return this.files.has(sha256);
  }

  read(sha256: string, size: number, range?: ByteRange): Readable {
    return this.files.read(sha256, size, range);
  }

  protected remove(sha256: string): Promise<void> {
    return this.files.remove(sha256);
  }

  /** EDGE-CLU-3: a blob is aged by its file's mtime (a rename keeps the staging's last write). */
  protected held(): AsyncIterable<HeldContent> {
    return this.files.held();
  }

  /** The filestore empties its own temp area when opened. */
  protected async removeStaleStaging(): Promise<void> {}
}
