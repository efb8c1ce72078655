import { Worker } from 'node:worker_threads';

/*
 * The thread's code, as a string: the Edge runs its TypeScript through tsx registered in the
 * main thread only, and a worker would not load a .ts file. Plain JavaScript, a dozen lines.
 */
export const DIGEST_THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const open = new Map();
parentPort.on('message', ({ id, block, length, end, drop }) => {
  if (drop) return void open.delete(id);
  let hashes = open.get(id);
  if (!hashes) open.set(id, (hashes = [createHash('md5'), createHash('sha1')]));
  if (block) {
    const bytes = new Uint8Array(block, 0, length);
    for (const hash of hashes) hash.update(bytes);
    parentPort.postMessage({ id, hashed: length, block }, [block]);
  }
  if (end) {
    open.delete(id);
    parentPort.postMessage({ id, md5: hashes[0].digest('hex'), sha1: hashes[1].digest('hex') });
  }
});
`;

/** Blocks kept for reuse once the thread gives them back: what circulates stays allocated, nothing more. */
const SPARE_BLOCKS = 4;

/** What the thread computes: the two digests that cost more than SHA-256 together (1.5 + 0.6 s vs 0.6 s a GiB here). */
export interface ThreadDigests {
  md5: string;
  sha1: string;
}

interface Waiting {
  hashed: (bytes: number) => void;
  digest: (digests: ThreadDigests) => void;
  failed: (error: Error) => void;
}

/**
 * Issue #13: one worker thread per Edge process computing the MD5 and SHA-1 of large staged
 * files, blocks of a MiB sent in order (a port keeps its messages' order) and given back, both ways by
 * transfer: no copy, and no block left for the thread's garbage collector, which runs too seldom
 * to free them in time (80 MiB more RSS on a 1 GiB upload when they were not given back).
 * Started at the first large file, started again after a failure; it never keeps the process
 * alive. Stopped, with its spare blocks, once idle for `idleMs`: a thread and its heap are ~20
 * MiB of RSS an Edge serving only small files should not carry after one large upload.
 */
export class DigestThread {
  #worker: Worker | undefined;
  readonly #source: string;
  readonly #waiting = new Map<number, Waiting>();
  readonly #spare: ArrayBuffer[] = [];
  readonly #idleMs: number;
  #idle: NodeJS.Timeout | undefined;
  #next = 0;

  /** `source`: the thread's code; tests pass one that fails or falls behind. */
  constructor(source = DIGEST_THREAD_SOURCE, idleMs = 10_000) {
    this.#source = source;
    this.#idleMs = idleMs;
  }

  /** Whether the thread is running (started and not yet stopped for idleness or failure). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** A block of `bytes` to fill and send: one the thread gave back, or a new one. */
  block(bytes: number): ArrayBuffer {
    return this.#spare.pop() ?? new ArrayBuffer(bytes);
  }

  open(waiting: Waiting): { id: number; post: (message: object, transfer?: ArrayBuffer[]) => void } {
    clearTimeout(this.#idle);
    const worker = this.#started();
    const id = this.#next++;
    this.#waiting.set(id, waiting);
    return {
      id,
      post: (message, transfer) => {
        if (this.#worker !== worker) throw new Error('the digest thread stopped');
        worker.postMessage({ id, ...message }, transfer);
      },
    };
  }

  close(id: number): void {
    this.#waiting.delete(id);
    if (this.#waiting.size > 0 || !this.#worker) return;
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#stopIdle(), this.#idleMs).unref();
  }

  #stopIdle(): void {
    const worker = this.#worker;
    if (!worker || this.#waiting.size > 0) return;
    this.#worker = undefined;
    this.#spare.length = 0;
    void worker.terminate();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#source, { eval: true });
    worker.unref();
    worker.on('message', ({ id, hashed, md5, sha1, block }: { id: number; hashed?: number; md5?: string; sha1?: string; block?: ArrayBuffer }) => {
      if (block && this.#spare.length < SPARE_BLOCKS) this.#spare.push(block);
      const waiting = this.#waiting.get(id);
      if (md5 !== undefined && sha1 !== undefined) waiting?.digest({ md5, sha1 });
      else if (hashed !== undefined) waiting?.hashed(hashed);
    });
    const stopped = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      for (const waiting of this.#waiting.values()) waiting.failed(error);
      this.#waiting.clear();
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`the digest thread exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}

export const digestThread = new DigestThread();
