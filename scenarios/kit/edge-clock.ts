import type { ScenarioContext } from './context.ts';
import { expect } from './expect.ts';
import type { RawResponse } from './http.ts';

/**
 * The Edge's clock as a client sees it, from the `Date` header of its answers (RFC 9110:
 * whole seconds), for scenarios that wait for something the Edge decides by its own time.
 */

/** The Edge's time when it sent `res`, in ms (the start of that second). */
export function edgeTime(res: RawResponse): number {
  const date = Date.parse(String(res.headers.date));
  expect(Number.isNaN(date), 'the Edge sends a Date header').toBe(false);
  return date;
}

/** The Edge's clock as an offset to ours, in ms, accurate to about half a second. */
export async function edgeClockOffset(t: ScenarioContext): Promise<number> {
  const res = await t.http('GET', '/artifactory/api/system/ping', { auth: null });
  return edgeTime(res) + 500 - Date.now();
}
