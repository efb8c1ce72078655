import autocannon from 'autocannon';

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
