import type { WritableFile } from './disk.ts';

export interface WriteBehindOptions {
  /** Bytes gathered into one write: a trip through the thread pool per MiB, not per 64 KiB chunk. */
  gather: number;
  /** Bytes written between two fsyncs started behind the writes, so the last one has little left. */
  syncEvery: number;
}

export const WRITE_BEHIND: WriteBehindOptions = { gather: 1024 * 1024, syncEvery: 64 * 1024 * 1024 };

/**
 * Issue #13, decision 0030: a file's appends gathered into writes of about a MiB, one of them in
 * flight while the caller goes on (hashing the next chunks), so hashing and writing overlap.
 * At most two writes' worth is held: an append that fills a write waits for the one in flight.
 * Bytes not on disk yet stay readable from memory (`held`), so whoever reads the file back
 * (EDGE-SR-7) sees every byte appended.
 *
 * Every `syncEvery` bytes an fsync starts behind the writes: the kernel would otherwise hold a
 * large file's pages dirty until the caller's own fsync, which then writes them all while the
 * client waits (0.57 s a GiB here). EDGE-DUR-5: a failed write or fsync fails every later
 * append and `drain`: after a failed fsync the kernel may report the next one clean with the
 * bytes lost.
 */
export class WriteBehind {
  readonly #file: WritableFile;
  readonly #options: WriteBehindOptions;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #inFlight: { chunks: readonly Uint8Array[]; done: Promise<void> } | undefined;
  #onDisk = 0;
  #sinceSync = 0;
  #syncing: Promise<void> | undefined;
  #syncFailure: { error: unknown } | undefined;

  constructor(file: WritableFile, options: WriteBehindOptions = WRITE_BEHIND) {
    this.#file = file;
    this.#options = options;
  }

  /** Bytes whose write has completed: readable through the file from 0 up to here. */
  get onDisk(): number {
    return this.#onDisk;
  }

  /** Takes the chunk, which must not change afterwards: it is written, and read back, as it is. */
  async append(chunk: Uint8Array): Promise<void> {
    if (this.#syncFailure) throw this.#syncFailure.error;
    if (chunk.length === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= this.#options.gather) await this.#writePending();
  }

  /** Every appended byte written to the file (not all synced: the caller's fsync follows). */
  async drain(): Promise<void> {
    if (this.#pendingBytes > 0) await this.#writePending();
    await this.#inFlight?.done;
    await this.#syncing;
    if (this.#syncFailure) throw this.#syncFailure.error;
  }

  /** Waits out the write and the fsync in flight, whatever their outcome: the file may be closed after. */
  async settle(): Promise<void> {
    await this.#inFlight?.done.catch(() => undefined);
    await this.#syncing;
  }

  /** Up to `length` bytes from `position` (at or past `onDisk`) among those appended and not on disk yet. */
  held(position: number, length: number): Uint8Array {
    let start = this.#onDisk;
    for (const chunks of [this.#inFlight?.chunks ?? [], this.#pending]) {
      for (const chunk of chunks) {
        if (position < start + chunk.length) return chunk.subarray(position - start, position - start + length);
        start += chunk.length;
      }
    }
    return new Uint8Array(0);
  }

  async #writePending(): Promise<void> {
    // Rethrows a failed write: the bytes after it must not land where it left off.
    await this.#inFlight?.done;
    const chunks = this.#pending;
    const bytes = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    const done = this.#file.write(chunks).then(() => {
      this.#onDisk += bytes;
      this.#inFlight = undefined;
      this.#sinceSync += bytes;
      if (this.#sinceSync >= this.#options.syncEvery && !this.#syncing) this.#syncBehind();
    });
    // Met by the next append, `drain` or `settle`; never an unhandled rejection meanwhile.
    done.catch(() => undefined);
    this.#inFlight = { chunks, done };
  }

  #syncBehind(): void {
    this.#sinceSync = 0;
    this.#syncing = this.#file.sync().then(
      () => {
        this.#syncing = undefined;
      },
      (error: unknown) => {
        this.#syncFailure ??= { error };
        this.#syncing = undefined;
      },
    );
  }
}
