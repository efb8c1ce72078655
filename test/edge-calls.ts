import { expect } from 'vitest';
import { raw, snapshot, type RawResponse, type RunningEdge } from './edge-harness.ts';

/** Assertions every suite that talks to an Edge shares. */

export interface CallOptions {
  /** The Authorization header; none when undefined. */
  auth?: string | undefined;
  body?: string | Buffer | AsyncIterable<Uint8Array>;
  json?: unknown;
  headers?: Record<string, string | number>;
}

const STACK_TRACE = /\n\s*at \S|\bat \S+ \(|\.(?:ts|js|mjs|cjs):\d+:\d+/;

/** EDGE-IN-7, checked on every response: never a 500, never a stack trace. */
export function expectNoLeak(res: RawResponse, what: string): void {
  expect(res.status, `${what} answered ${res.status}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.text, `${what} leaked a stack trace`).not.toMatch(STACK_TRACE);
}

/** One request on the wire, checked for leaks. */
export async function call(edge: Pick<RunningEdge, 'url'>, method: string, path: string, options: CallOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string | number> = { ...options.headers };
  if (options.auth !== undefined) headers.authorization = options.auth;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const res = await raw(edge.url, method, path, body === undefined ? { headers } : { headers, body });
  expectNoLeak(res, `${method} ${path.slice(0, 200)}`);
  return res;
}

/** The response's `X-Request-Id`, which every error entry repeats (EDGE-OPS-3). */
export function requestIdOf(res: RawResponse): string {
  const id = res.headers['x-request-id'];
  expect(id, 'X-Request-Id').toMatch(/^\S{1,128}$/);
  return id as string;
}

/** The body with its request id masked: two answers compared as a client would tell them apart. */
export function withoutRequestId(res: RawResponse): string {
  return res.text.replaceAll(requestIdOf(res), '<request id>');
}

/** Artifactory's error body, exactly: `{"errors":[{status,message,code,requestId}]}`. */
export function expectError(res: RawResponse, status: number, code: string, message: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(res.json()).toEqual({
    errors: [{ status, code, message: typeof message === 'string' ? message : expect.stringMatching(message), requestId: requestIdOf(res) }],
  });
}

export async function expectStatus(res: Promise<RawResponse>, status: number): Promise<RawResponse> {
  const done = await res;
  expect(done.status, done.text).toBe(status);
  return done;
}

/** The request is refused as expected and neither the API nor the disk shows any change. */
export async function expectRefusedUnchanged(
  edge: RunningEdge,
  send: () => Promise<RawResponse>,
  status: number,
  code: string,
  message: string | RegExp,
): Promise<RawResponse> {
  const before = await snapshot(edge);
  const res = await send();
  expectError(res, status, code, message);
  expect(await snapshot(edge)).toEqual(before);
  return res;
}
