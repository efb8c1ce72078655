import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or rejects with the abort reason as soon as the exchange is abandoned. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    // timers/promises wraps the reason in its own AbortError; fetch rejects with the reason
    // itself (a TimeoutError for AbortSignal.timeout), and a faulted call must look the same.
    throw signal.aborted ? signal.reason : error;
  }
}

/**
 * The `hang` fault's wait: `ms` when given, otherwise until the exchange is abandoned (the peer
 * closes the connection, or the caller aborts). Rejects with the abort reason in both cases.
 */
export function hold(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (ms !== undefined) return sleep(ms, signal);
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
