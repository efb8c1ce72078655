import { setTimeout as sleep } from 'node:timers/promises';
import { expectError, expectStatus, requestIdOf } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { basic, user } from '../../kit/world.ts';

/**
 * EDGE-AUTH-9 as a client sees it, without the Edge's clock: wrong passwords for one name from
 * this address end in 429 LOGIN_SUSPENDED with Retry-After, the right password included, and
 * the suspension lifts after it. Only names made for the scenario are ever suspended, never the
 * admin's (every later scenario logs in as the admin from this same address). The growth and
 * bound of suspensions need the clock: test/login-suspension.test.ts.
 */

/** More failures than any Edge should allow in a row before suspending (the default is 5). */
const MOST_FAILURES = 20;
const PROBE = '/artifactory/api/repositories';

/** 429 in Artifactory's error body, the wait in `Retry-After` and in the entry, no challenge; returns the wait in seconds. */
function expectSuspended(res: RawResponse, name: string): number {
  expect(res.status, res.text).toBe(429);
  const seconds = Number(res.headers['retry-after']);
  expect(Number.isInteger(seconds) && seconds >= 1, `Retry-After ${res.headers['retry-after']}`).toBe(true);
  expect(res.headers['www-authenticate']).toBeUndefined();
  const message = `Too many failed logins for user '${name}' from this address; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  expect(res.json()).toEqual({ errors: [{ status: 429, code: 'LOGIN_SUSPENDED', message, retry_after: seconds, requestId: requestIdOf(res) }] });
  return seconds;
}

/** Wrong passwords for `name` until the Edge suspends it; at least one plain refusal comes first. */
async function failUntilSuspended(t: ScenarioContext, name: string): Promise<RawResponse> {
  for (let i = 1; i <= MOST_FAILURES; i++) {
    const res = await t.http('GET', PROBE, { auth: basic(name, `guess-${i}`) });
    if (res.status === 429) {
      expect(i, 'failures before the first suspension').toBeGreaterThan(1);
      return res;
    }
    expectError(res, 401, 'BAD_CREDENTIALS', 'Bad credentials');
  }
  throw new Error(`${MOST_FAILURES} wrong passwords in a row for '${name}' and no suspension`);
}

export const loginSuspensionScenarios = [
  scenario({
    id: 'access/login-suspension',
    title:
      'wrong passwords in a row suspend a name from this address with 429 LOGIN_SUSPENDED and Retry-After, the right password included, until the wait is over',
    requirements: ['EDGE-AUTH-9'],
    async run(t) {
      const victim = await user(t, 'suspended');
      // A success before: a proven (and perhaps cached) password exempts nothing.
      await expectStatus(t.http('GET', PROBE, { auth: victim.auth }), 200);
      expectSuspended(await failUntilSuspended(t, victim.name), victim.name);
      const wait = await t.step('the right password while suspended', async () =>
        expectSuspended(await t.http('GET', PROBE, { auth: victim.auth }), victim.name),
      );
      await t.step('other names from this address are not suspended', () => expectStatus(t.http('GET', PROBE), 200));
      await t.step('the suspension lifts after Retry-After', async () => {
        await sleep(wait * 1000 + 250);
        await expectStatus(t.http('GET', PROBE, { auth: victim.auth }), 200);
      });
    },
  }),
  scenario({
    id: 'access/login-suspension-of-unknown-names',
    title: 'wrong passwords for a name no user has are counted alike: they end in 429 LOGIN_SUSPENDED too',
    requirements: ['EDGE-AUTH-9'],
    async run(t) {
      const name = t.name('nobody-here');
      expectSuspended(await failUntilSuspended(t, name), name);
    },
  }),
  scenario({
    id: 'access/tokens-not-throttled',
    title: 'bad bearer tokens are refused with 401 however many come: tokens cannot be guessed, so they are not throttled',
    requirements: ['EDGE-AUTH-9'],
    async run(t) {
      for (let i = 0; i < MOST_FAILURES; i++) {
        expect((await t.http('GET', PROBE, { auth: `Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.${i}` })).status).toBe(401);
      }
    },
  }),
];
