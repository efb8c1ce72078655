import autocannon from 'autocannon';
import { fmt, median, withSpread } from './stats.ts';

export interface LoadResult {
  requestsPerSec: number;
  p99Ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers that were not 2xx: a refused credential counts here, not as speed. */
  non2xx: number;
}

/**
 * One round of small requests with autocannon: `connections` keep-alive connections, each
 * sending its next request as soon as the previous answer is in, for `seconds`.
 */
export async function load(url: string, options: { connections: number; seconds: number; authorization?: string }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.authorization ? { authorization: options.authorization } : {},
  });
  return { requestsPerSec: result.requests.average, p99Ms: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

/** Rounds as the table prints them: requests/s with spread, median p99, errors counted. */
export function describeLoad(runs: readonly LoadResult[]): string {
  const errors = runs.reduce((n, r) => n + r.errors + r.non2xx, 0);
  return `${withSpread(runs.map((r) => r.requestsPerSec))} req/s, p99 ${fmt(median(runs.map((r) => r.p99Ms)))} ms, ${errors} errors`;
}

/** The rounds that had errors, which make a figure meaningless. */
export function loadFailures(runs: readonly LoadResult[]): string[] {
  return runs.filter((r) => r.errors + r.non2xx > 0).map((r) => `${r.errors} errors, ${r.non2xx} non-2xx`);
}
