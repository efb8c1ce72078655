import type { WritableFile } from './disk.ts';

/** Bytes gathered into one write of a staging file: a trip through the thread pool per MiB, not per 64 KiB chunk. */
export const WRITE_BEHIND_BYTES = 1024 * 1024;

/**
 * Issue #13, decision 0030: a file's appends gathered into writes of about a MiB, one of them in
 * flight while the caller goes on (hashing the next chunks), so hashing and writing overlap.
 * At most two writes' worth is held: an append that fills a write waits for the one in flight.
 * Bytes not on disk yet stay readable from memory (`held`), so whoever reads the file back
 * (EDGE-SR-7) sees every byte appended. A failed write fails every later append and `drain`.
 */
export class WriteBehind {
  readonly #file: WritableFile;
  readonly #gather: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #inFlight: { chunks: readonly Uint8Array[]; done: Promise<void> } | undefined;
  #onDisk = 0;

  constructor(file: WritableFile, gather = WRITE_BEHIND_BYTES) {
    this.#file = file;
    this.#gather = gather;
  }

  /** Bytes whose write has completed: readable through the file from 0 up to here. */
  get onDisk(): number {
    return this.#onDisk;
  }

  /** Takes the chunk, which must not change afterwards: it is written, and read back, as it is. */
  async append(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= this.#gather) await this.#writePending();
  }

  /** Every appended byte written to the file (not synced). */
  async drain(): Promise<void> {
    if (this.#pendingBytes > 0) await this.#writePending();
    await this.#inFlight?.done;
  }

  /** Waits out the write in flight, whatever its outcome: the file may be closed after it. */
  async settle(): Promise<void> {
    await this.#inFlight?.done.catch(() => undefined);
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
    });
    // Met by the next append, `drain` or `settle`; never an unhandled rejection meanwhile.
    done.catch(() => undefined);
    this.#inFlight = { chunks, done };
  }
}
