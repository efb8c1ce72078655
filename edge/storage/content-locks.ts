/**
 * Per-content mutual exclusion inside one process: publishing a content and recording its first
 * reference must not interleave with reclaiming it. Across processes the sweep grace covers it
 * (EDGE-CLU-3).
 */
export class ContentLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(sha256: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(sha256) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#tails.set(sha256, tail);
    try {
      return await run;
    } finally {
      if (this.#tails.get(sha256) === tail) this.#tails.delete(sha256);
    }
  }
}
