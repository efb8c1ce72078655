/**
 * EDGE-DUR-4: group commit of syncs. `sync(key)` resolves once a sync of `key` that STARTED
 * after the call has finished: only such a sync covers what the caller wrote before calling.
 * Callers that arrive while a sync of the same key runs share the one that follows it, so N
 * concurrent publishes into one folder cost two folder fsyncs, not N.
 */
export function coalescedSync(sync: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const running = new Map<string, Promise<void>>();
  const queued = new Map<string, Promise<void>>();

  const start = (key: string): Promise<void> => {
    const run = sync(key).finally(() => {
      if (running.get(key) === run) running.delete(key);
    });
    running.set(key, run);
    return run;
  };

  return (key) => {
    const current = running.get(key);
    if (!current) return start(key);
    const waiting = queued.get(key);
    if (waiting) return waiting;
    // Not `current`: it may have started before the caller's write.
    const next = current
      .catch(() => undefined)
      .then(() => {
        queued.delete(key);
        return start(key);
      });
    queued.set(key, next);
    return next;
  };
}
