/**
 * Coalesces single calls into calls of many: `one(item)` resolves when a `run` whose batch held
 * `item` has finished (rejects if it failed). The first call runs at once; calls arriving
 * while a run is in flight wait and go together in the next one, at most `max` items per run.
 * So N concurrent callers cost a couple of round trips, not N, and a lone caller waits for none.
 */
export function batched<T>(run: (items: T[]) => Promise<void>, max: number): (item: T) => Promise<void> {
  const waiting: { item: T; done: (error?: unknown) => void }[] = [];
  let running = false;

  const next = async (): Promise<void> => {
    running = true;
    while (waiting.length) {
      const batch = waiting.splice(0, max);
      let failure: unknown;
      let failed = false;
      try {
        await run(batch.map((w) => w.item));
      } catch (error) {
        failed = true;
        failure = error;
      }
      for (const w of batch) w.done(failed ? (failure ?? new Error('batch failed')) : undefined);
    }
    running = false;
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ item, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!running) void next();
    });
}
