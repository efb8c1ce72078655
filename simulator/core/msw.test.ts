import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../faults/injector.ts';
import type { FaultPlanInput } from '../faults/plan.ts';
import { mswHandlers } from './msw.ts';
import { Recorder } from './recorder.ts';
import { patternBytes, sha256 } from '../__fixtures__/bytes.ts';
import { tinyService } from './__fixtures__/tiny-service.ts';

// The same app and the same inbound faults as `listen`, in-process: global fetch is intercepted.
const BASE = 'http://upstream.sim';
const FILE = patternBytes(5000);

const faults = FaultInjector.fromJSON({
  seed: 3,
  rules: [
    { service: 'upstream', direction: 'inbound', route: '/files/5000', method: 'GET', nth: 2, fault: { kind: 'corrupt', offset: 7 } },
    { service: 'upstream', direction: 'inbound', route: '/files/5000', method: 'GET', nth: 3, fault: { kind: 'reset', afterBytes: 1024 } },
    { service: 'upstream', direction: 'inbound', route: '/empty', nth: 2, fault: { kind: 'reset', afterBytes: 0 } },
    { service: 'upstream', direction: 'inbound', route: '/down', fault: { kind: 'status', status: 502, body: 'bad gateway' } },
    { service: 'upstream', direction: 'inbound', route: '/slow', fault: { kind: 'hang', ms: 50 } },
  ],
} satisfies FaultPlanInput);
const recorder = new Recorder();
const server = setupServer(...mswHandlers(tinyService(), BASE, { faults, recorder }));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('mswHandlers', () => {
  it('answers fetch with the app, and applies the plan occurrence by occurrence', async () => {
    const clean = await fetch(`${BASE}/files/5000`);
    expect(clean.headers.get('x-checksum-sha256')).toBe(sha256(FILE));
    expect(sha256(new Uint8Array(await clean.arrayBuffer()))).toBe(sha256(FILE));

    const corrupted = new Uint8Array(await (await fetch(`${BASE}/files/5000`)).arrayBuffer());
    expect(corrupted.byteLength).toBe(5000);
    expect(corrupted[7]).toBe(FILE[7]! ^ 255);

    // In-process there is no socket: a reset mid-body is the body stream failing.
    const reset = await fetch(`${BASE}/files/5000`);
    expect(reset.status).toBe(200);
    await expect(reset.arrayBuffer()).rejects.toThrow();
  });

  it('hands every path of the origin to the app, the root included', async () => {
    const root = await fetch(`${BASE}/`);
    expect(root.status).toBe(404);
    // Read to the end, never cancel: msw tees mocked responses, and cancelling one branch of a
    // tee waits for the other, which nobody reads. The exchange is recorded at the body's end.
    await root.text();
  });

  it('drops an exchange as a network error when there is nothing to cut', async () => {
    expect((await fetch(`${BASE}/empty`)).status).toBe(204);
    await expect(fetch(`${BASE}/empty`)).rejects.toThrow(TypeError);
    await expect(fetch(`${BASE}/slow`)).rejects.toThrow(TypeError);
  });

  it('answers a status fault without reaching the app', async () => {
    const response = await fetch(`${BASE}/down`);
    expect(response.status).toBe(502);
    expect(await response.text()).toBe('bad gateway');
  });

  it('records what crossed the in-process transport', async () => {
    const upload = patternBytes(777, 5);
    const response = await fetch(`${BASE}/files/a.bin`, { method: 'PUT', body: upload });
    expect(await response.json()).toEqual({ bytes: 777, sha256: sha256(upload) });
    await recorder.settled();
    const put = recorder.entries().find((exchange) => exchange.method === 'PUT');
    expect(put).toMatchObject({
      status: 201,
      request: { bytes: 777, sha256: sha256(upload), complete: true },
      response: { complete: true },
      fault: null,
    });
    const gets = recorder.entries().filter((exchange) => exchange.path === '/files/5000');
    expect(gets.map((exchange) => [exchange.fault?.kind ?? null, exchange.response?.bytes, exchange.response?.complete])).toEqual([
      [null, 5000, true],
      ['corrupt', 5000, true],
      ['reset', 1024, false],
    ]);
  });

  it('wants an origin as the base URL', () => {
    expect(() => mswHandlers(tinyService(), 'http://upstream.sim/artifactory')).toThrow(/must be an origin/);
  });
});
