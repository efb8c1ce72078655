import type { Outbound } from '../core/service.ts';

/**
 * Test support for the simulators: an in-process router standing in for the network, faults
 * that answer instead of a target, and the small helpers every fake service needs.
 */

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
export const edpError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response =>
  json(status, { errors: [{ ...extra, status, message, code }] });

/** A fault: answers instead of the target (a Response), lets the call through (undefined), or throws/rejects (no answer). */
export type Fault = (request: Request) => Response | Promise<Response> | undefined;

/** What a refused or reset connection looks like to fetch's caller. */
export function connectionReset(): never {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
}

/** A fault that fires the first `times` calls matching `matches`. */
export function times(count: number, matches: (request: Request) => boolean, answer: (request: Request) => Response | Promise<Response>): Fault {
  let left = count;
  return (request) => {
    if (left <= 0 || !matches(request)) return undefined;
    left--;
    return answer(request);
  };
}

/** Routes by origin to in-process handlers; faults first; unknown origins go to `fallback`. */
export function router(fallback: Outbound = () => connectionReset()) {
  const routes = new Map<string, Outbound>();
  const faults: Fault[] = [];
  const calls: string[] = [];
  const fetch: Outbound = async (request) => {
    calls.push(`${request.method} ${request.url}`);
    for (const fault of faults) {
      const answer = await fault(request);
      if (answer) return answer;
    }
    const handler = routes.get(new URL(request.url).origin);
    return handler ? handler(request) : fallback(request);
  };
  return { routes, faults, calls, fetch };
}
