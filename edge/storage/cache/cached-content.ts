import { Readable } from 'node:stream';
import type { ByteRange, ContentReferences, ContentStore, IngestLimits, StagedContent, StagingFile } from '../content.ts';
import { recordedContentLimits } from '../content-damaged.ts';
import type { FileStore, HeldBlob } from '../filestore.ts';

/**
 * EDGE-BIN-3: a read-through cache of a remote content store on local disk. A whole read that
 * misses is served from the remote store and written to the cache as it goes by; the copy is
 * kept only when its SHA-256 and size are the content's (so a cached file is never partial nor
 * wrong), and whole files are evicted, least recently read first, to stay under `maxBytes`.
 * A ranged read that misses is passed through uncached: it would fetch only part of the bytes.
 */
export class CachedContentStore implements ContentStore {
  /** Cached content and its size, least recently read first (a Map keeps insertion order). */
  readonly #entries = new Map<string, number>();
  readonly #filling = new Set<string>();
  #bytes = 0;

  private constructor(
    private readonly remote: ContentStore,
    private readonly files: FileStore,
    private readonly references: ContentReferences,
    private readonly maxBytes: number,
  ) {}

  /** Takes over what an earlier run cached, oldest first. */
  static async open(remote: ContentStore, files: FileStore, references: ContentReferences, maxBytes: number): Promise<CachedContentStore> {
    await files.init();
    const cache = new CachedContentStore(remote, files, references, maxBytes);
    const found: HeldBlob[] = [];
    for await (const blob of files.held()) found.push(blob);
    for (const { sha256, size } of found.sort((a, b) => a.modifiedMs - b.modifiedMs)) cache.#add(sha256, size);
    await cache.#evict();
    return cache;
  }

  /** Bytes the cache holds now. */
  get cachedBytes(): number {
    return this.#bytes;
  }

  stage(source: AsyncIterable<Uint8Array>, limits: IngestLimits): Promise<StagedContent> {
    return this.remote.stage(source, limits);
  }

  openStaging(limits: IngestLimits): Promise<StagingFile> {
    return this.remote.openStaging(limits);
  }

  commit<T>(staged: StagedContent, record: () => Promise<T>): Promise<T> {
    return this.remote.commit(staged, record);
  }

  reference<T>(sha256: string, record: () => Promise<T>): Promise<T | undefined> {
    return this.remote.reference(sha256, record);
  }

  has(sha256: string): Promise<boolean> {
    return this.remote.has(sha256);
  }

  async release(sha256s: Iterable<string>): Promise<void> {
    const released = [...new Set(sha256s)];
    await this.remote.release(released);
    for (const sha256 of released) if ((await this.references.referencesTo(sha256)) === 0) await this.#drop(sha256);
  }

  async sweep(olderThanMs?: number): Promise<number> {
    const removed = await this.remote.sweep(olderThanMs);
    const referenced = await this.references.referencedContent();
    for (const sha256 of [...this.#entries.keys()]) if (!referenced.has(sha256)) await this.#drop(sha256);
    return removed;
  }

  read(sha256: string, size: number, range?: ByteRange): Readable {
    return Readable.from(this.#read(sha256, size, range), { objectMode: false });
  }

  async *#read(sha256: string, size: number, range: ByteRange | undefined): AsyncGenerator<Uint8Array> {
    if (await this.#hit(sha256, size)) {
      const local = this.files.read(sha256, size, range)[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
      let first: IteratorResult<Uint8Array> | undefined;
      try {
        first = await local.next();
      } catch (error) {
        // Evicted between the check and the open: the remote store still has it.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (first) {
        if (!first.done) yield first.value;
        for (let next = await local.next(); !next.done; next = await local.next()) yield next.value;
        return;
      }
    }
    const whole = range === undefined || (range.start === 0 && range.end === size - 1);
    if (!whole || size > this.maxBytes || this.#filling.has(sha256)) {
      yield* this.remote.read(sha256, size, range);
      return;
    }
    yield* this.#readThrough(sha256, size);
  }

  /** A cached copy of the recorded size; one of another size is dropped, never served. */
  async #hit(sha256: string, size: number): Promise<boolean> {
    const cached = this.#entries.get(sha256);
    if (cached === undefined) return false;
    const onDisk = await this.files.sizeOf(sha256);
    if (cached !== size || onDisk !== size) {
      await this.#drop(sha256);
      return false;
    }
    this.#entries.delete(sha256);
    this.#entries.set(sha256, size);
    return true;
  }

  async *#readThrough(sha256: string, size: number): AsyncGenerator<Uint8Array> {
    this.#filling.add(sha256);
    let staging: StagingFile | undefined = await this.files.openStaging(recordedContentLimits(sha256, size)).catch(() => undefined);
    try {
      for await (const chunk of this.remote.read(sha256, size)) {
        // A cache that cannot write (disk full) costs the copy, never the read.
        const writing = staging;
        if (writing) await writing.write(chunk).catch(() => (staging = this.#abandon(writing)));
        yield chunk;
      }
      if (!staging) return;
      const staged = await staging.finish();
      if (staged.checksums.sha256 !== sha256 || staged.size !== size) {
        await staged.discard();
        return;
      }
      await staged.publish();
      this.#add(sha256, size);
      await this.#evict();
    } finally {
      this.#filling.delete(sha256);
      if (staging) {
        await staging.abort();
        await staging.closeReader();
      }
    }
  }

  #abandon(staging: StagingFile): undefined {
    void staging.abort().then(() => staging.closeReader());
    return undefined;
  }

  #add(sha256: string, size: number): void {
    if (this.#entries.has(sha256)) return;
    this.#entries.set(sha256, size);
    this.#bytes += size;
  }

  async #evict(): Promise<void> {
    for (const sha256 of this.#entries.keys()) {
      if (this.#bytes <= this.maxBytes) return;
      await this.#drop(sha256);
    }
  }

  async #drop(sha256: string): Promise<void> {
    const size = this.#entries.get(sha256);
    if (size === undefined) return;
    this.#entries.delete(sha256);
    this.#bytes -= size;
    await this.files.remove(sha256);
  }
}
