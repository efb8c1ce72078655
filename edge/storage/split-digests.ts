import { createHash, type Hash } from 'node:crypto';
import type { Checksums } from '../../protocol/checksums.ts';
import { type DigestThread, digestThread, type ThreadDigests } from './digest-thread.ts';

/** Bytes per block sent to the digest thread; a file of fewer is hashed on the request's thread. */
export const DIGEST_BLOCK = 1024 * 1024;
/** Blocks sent and not yet hashed before `caughtUp` waits: bounds what a slow thread holds. */
const THREAD_BACKLOG = 4;

/**
 * Issue #13, decision 0030: the three digests of bytes being staged. SHA-256 runs on the
 * request's thread as the chunks come. MD5 and SHA-1 (here 1.5 s and 0.6 s of the three's 2.8 s
 * a GiB) run on the digest thread, in blocks of a MiB, once the bytes pass one block. A smaller
 * file gets them on the request's thread at the end: a message to the thread would cost more
 * than its hashing. Each block is a copy sent by transfer, so the chunks stay the caller's (a
 * reader of the staging may hold them).
 */
export class SplitDigests {
  readonly #threads: DigestThread;
  readonly #sha256: Hash = createHash('sha256');
  #size = 0;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #thread: { post: (message: object, transfer?: ArrayBuffer[]) => void; close: () => void } | undefined;
  #sent = 0;
  #hashed = 0;
  #failure: Error | undefined;
  #progress: (() => void) | undefined;
  #digest: Promise<ThreadDigests> | undefined;
  #settleDigest: { resolve: (digests: ThreadDigests) => void; reject: (error: Error) => void } | undefined;

  constructor(threads: DigestThread = digestThread) {
    this.#threads = threads;
  }

  get size(): number {
    return this.#size;
  }

  update(chunk: Uint8Array): void {
    this.#size += chunk.length;
    this.#sha256.update(chunk);
    for (let at = 0; at < chunk.length; ) {
      const part = chunk.subarray(at, at + DIGEST_BLOCK - this.#pendingBytes);
      this.#pending.push(part);
      this.#pendingBytes += part.length;
      at += part.length;
      if (this.#pendingBytes === DIGEST_BLOCK) this.#sendBlock();
    }
  }

  /** Resolves once the digest thread is at most THREAD_BACKLOG blocks behind; fails when it failed. */
  async caughtUp(): Promise<void> {
    while (!this.#failure && this.#sent - this.#hashed > THREAD_BACKLOG * DIGEST_BLOCK) {
      await new Promise<void>((resolve) => {
        this.#progress = resolve;
      });
    }
    if (this.#failure) throw this.#failure;
  }

  async digests(): Promise<Checksums> {
    const { md5, sha1 } = this.#thread ? await this.#offThread() : this.#hereAndNow();
    return { sha256: this.#sha256.digest('hex'), sha1, md5 };
  }

  /**
   * Frees the thread's state for bytes that will not be finished. Never throws: it runs in a
   * staging's abort, which must go on to remove the temp file even when the thread has died.
   */
  dispose(): void {
    try {
      this.#thread?.post({ drop: true });
    } catch {
      // The thread stopped, and its state with it.
    }
    this.#thread?.close();
    this.#thread = undefined;
  }

  #hereAndNow(): ThreadDigests {
    const md5 = createHash('md5');
    const sha1 = createHash('sha1');
    for (const chunk of this.#pending) {
      md5.update(chunk);
      sha1.update(chunk);
    }
    this.#pending = [];
    return { md5: md5.digest('hex'), sha1: sha1.digest('hex') };
  }

  async #offThread(): Promise<ThreadDigests> {
    if (this.#pendingBytes > 0) this.#sendBlock();
    if (this.#failure) throw this.#failure;
    const digest = this.#digest as Promise<ThreadDigests>;
    this.#thread?.post({ end: true });
    try {
      return await digest;
    } finally {
      this.#thread?.close();
      this.#thread = undefined;
    }
  }

  #sendBlock(): void {
    if (this.#failure) return;
    const thread = (this.#thread ??= this.#openThread());
    // A block of the thread's own, copied into: transferred, never shared with the chunks.
    const block = this.#threads.block(DIGEST_BLOCK);
    const view = new Uint8Array(block);
    let length = 0;
    for (const part of this.#pending) {
      view.set(part, length);
      length += part.length;
    }
    this.#pending = [];
    this.#pendingBytes = 0;
    try {
      thread.post({ block, length }, [block]);
      this.#sent += length;
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #openThread(): { post: (message: object, transfer?: ArrayBuffer[]) => void; close: () => void } {
    this.#digest = new Promise<ThreadDigests>((resolve, reject) => {
      this.#settleDigest = { resolve, reject };
    });
    this.#digest.catch(() => undefined);
    const { id, post } = this.#threads.open({
      hashed: (bytes) => {
        this.#hashed += bytes;
        this.#wake();
      },
      digest: (digests) => this.#settleDigest?.resolve(digests),
      failed: (error) => this.#fail(error),
    });
    return { post, close: () => this.#threads.close(id) };
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#settleDigest?.reject(error);
    this.#wake();
  }

  #wake(): void {
    const progress = this.#progress;
    this.#progress = undefined;
    progress?.();
  }
}
