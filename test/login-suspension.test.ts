import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, basic, startEdge, type RawResponse, type RunningEdge } from './edge-harness.ts';
import { expectError, requestIdOf } from './edge-calls.ts';

/**
 * EDGE-AUTH-9 over real HTTP: failed logins suspend further logins of that user from that
 * address for a while. Two client addresses on loopback (127.0.0.1 and 127.0.0.2) stand for an
 * attacker's machine and the admin's; the Edge's clock is injected.
 */

let edge: RunningEdge;
let clock = 1_800_000_000_000;

beforeAll(async () => {
  edge = await startEdge({}, { now: () => clock });
});
afterAll(() => edge.close());

/** A request from a chosen loopback address. */
function from(address: string, authorization: string, path = '/artifactory/api/repositories'): Promise<RawResponse> {
  const { hostname, port } = new URL(edge.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, localAddress: address, headers: { authorization } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const ATTACKER = '127.0.0.1';
const ADMIN_DESK = '127.0.0.2';
const right = basic('admin', ADMIN_PASSWORD);
const wrong = (n: number) => basic('admin', `guess-${n}`);

/** 429 in Artifactory's error body, the wait in `Retry-After` and in the entry, no challenge. */
function expectSuspended(res: RawResponse, user: string, seconds: number): void {
  expect(res.status, res.text).toBe(429);
  expect(res.headers['retry-after']).toBe(String(seconds));
  expect(res.headers['www-authenticate']).toBeUndefined();
  const message = `Too many failed logins for user '${user}' from this address; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  expect(res.json()).toEqual({ errors: [{ status: 429, code: 'LOGIN_SUSPENDED', message, retry_after: seconds, requestId: requestIdOf(res) }] });
}

describe('EDGE-AUTH-9: login suspension', () => {
  it('EDGE-AUTH-9: after five failures a user is suspended from that address, even with the right password', async () => {
    for (let i = 1; i <= 5; i++) expectError(await from(ATTACKER, wrong(i)), 401, 'BAD_CREDENTIALS', 'Bad credentials');
    expectSuspended(await from(ATTACKER, wrong(6)), 'admin', 1);
    // The right password is not even checked while suspended: guessing gains nothing.
    expectSuspended(await from(ATTACKER, right), 'admin', 1);
  });

  it('EDGE-AUTH-9: does not keep the admin out of another address', async () => {
    expect((await from(ADMIN_DESK, right)).status).toBe(200);
  });

  it("EDGE-AUTH-9: the admin's success elsewhere exempts nothing: the right password from the suspended address gets 429, a wrong one too", async () => {
    expectSuspended(await from(ATTACKER, right), 'admin', 1);
    expectSuspended(await from(ATTACKER, wrong(60)), 'admin', 1);
  });

  it('EDGE-AUTH-9: lifts when the time has passed; the next failure suspends for twice as long; success starts again', async () => {
    clock += 1_000;
    expectError(await from(ATTACKER, wrong(7)), 401, 'BAD_CREDENTIALS', 'Bad credentials');
    expectSuspended(await from(ATTACKER, wrong(8)), 'admin', 2);
    clock += 2_000;
    expect((await from(ATTACKER, right)).status).toBe(200);
    for (let i = 1; i <= 4; i++) expectError(await from(ATTACKER, wrong(i)), 401, 'BAD_CREDENTIALS', 'Bad credentials');
  });

  it('EDGE-AUTH-9: never lasts more than a minute, and counts unknown users alike', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await from(ADMIN_DESK, basic('nobody-here', `guess-${i}`));
      if (res.status === 429) {
        waits.push(Number(res.headers['retry-after']));
        clock += (waits.at(-1) as number) * 1000;
      }
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60, 60]);
  });

  it('EDGE-AUTH-9: a password proven from an address exempts nothing there: while suspended the right password gets 429 too (no oracle)', async () => {
    clock += 3_600_000;
    expect((await from(ATTACKER, right)).status).toBe(200);
    for (let i = 0; i < 8; i++) await from(ATTACKER, wrong(100 + i));
    expectSuspended(await from(ATTACKER, wrong(200)), 'admin', 1);
    expectSuspended(await from(ATTACKER, right), 'admin', 1);
    clock += 1_000;
    expect((await from(ATTACKER, right)).status).toBe(200);
  });

  it('EDGE-AUTH-9: a wrong guess after the admin succeeded elsewhere still counts and still suspends', async () => {
    clock += 3_600_000;
    expect((await from(ADMIN_DESK, right)).status).toBe(200);
    for (let i = 1; i <= 5; i++) expectError(await from(ATTACKER, wrong(300 + i)), 401, 'BAD_CREDENTIALS', 'Bad credentials');
    expectSuspended(await from(ATTACKER, wrong(306)), 'admin', 1);
  });

  it('EDGE-AUTH-9: a burst of 20 parallel wrong logins gets at most five 401s; the rest wait with 429', async () => {
    clock += 3_600_000;
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => from(ATTACKER, wrong(400 + i)).then((res) => res.status)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
  });

  it('EDGE-AUTH-9: tokens are not throttled: they cannot be guessed', async () => {
    for (let i = 0; i < 10; i++) expect((await from(ADMIN_DESK, `Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.${i}`)).status).toBe(401);
  });
});
