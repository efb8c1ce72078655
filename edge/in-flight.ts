/**
 * `work` on every item, at most `limit` at a time, results in the items' order. The first
 * failure is thrown once the calls already started have settled, and no further one starts:
 * a caller that cleans up after a failure finds nothing still running.
 */
export async function inFlight<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const at = next++;
      try {
        results[at] = await work(items[at] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const refusal = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (refusal) throw refusal.reason;
  return results;
}
