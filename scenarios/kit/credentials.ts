import { expectError, requestIdOf } from './assertions.ts';
import { NotApplicable, type ScenarioContext } from './context.ts';
import { expect } from './expect.ts';
import type { RawResponse } from './http.ts';

/** What scenarios about credentials share: the refusals' exact shapes, and care for login suspension. */

const CHALLENGE = /^Basic realm="[^"]+"$/;

/** EDGE-AUTH-1: a password or scheme that does not check out. */
export function expectBadCredentials(res: RawResponse): void {
  expectError(res, 401, 'BAD_CREDENTIALS', 'Bad credentials');
  expect(res.headers['www-authenticate']).toMatch(CHALLENGE);
}

/** EDGE-AUTH-2: no credentials where they are needed. */
export function expectUnauthenticated(res: RawResponse): void {
  expectError(res, 401, 'UNAUTHENTICATED', /[Aa]uthentication/);
  expect(res.headers['www-authenticate']).toMatch(CHALLENGE);
}

/**
 * A bearer token that does not check out: 401 with WWW-Authenticate, either `Bad credentials` or
 * one of the token codes of the error module (TOKEN_MALFORMED, TOKEN_BAD_SIGNATURE, ...).
 */
export function expectTokenRefused(res: RawResponse): void {
  expect(res.status, res.text).toBe(401);
  const body = res.json() as { errors: { status: number; code: string; message: string }[] };
  expect(body).toEqual({
    errors: [{ status: 401, code: expect.stringMatching(/^(BAD_CREDENTIALS|TOKEN_[A-Z_]+)$/), message: expect.any(String), requestId: requestIdOf(res) }],
  });
  if (body.errors[0]?.code === 'BAD_CREDENTIALS') expect(body.errors[0].message).toBe('Bad credentials');
  expect(res.headers['www-authenticate']).toMatch(CHALLENGE);
}

/** Whether the Edge lets anonymous callers read: it answers the repository list without credentials. */
export async function anonymousAccess(t: ScenarioContext): Promise<boolean> {
  const res = await t.http('GET', '/artifactory/api/repositories', { auth: null });
  if (res.status === 200) return true;
  expectUnauthenticated(res);
  return false;
}

/** Not applicable unless anonymous access on the Edge is as the scenario needs it (a setting of the Edge, not of the API). */
export async function requireAnonymousAccess(t: ScenarioContext, on: boolean): Promise<void> {
  if ((await anonymousAccess(t)) !== on) throw new NotApplicable(`the Edge has anonymous access ${on ? 'off' : 'on'}`);
}

/**
 * Sends a request with a wrong password for a user, then one with `right`, that user's right
 * credentials, and returns the first answer. EDGE-AUTH-9 suspends a name from an address after a
 * few failures in a row, and this harness sends everything from one address: the success starts
 * the count again, so a scenario never suspends a name, least of all the admin's, which every
 * later scenario needs.
 */
export async function wrongLogin(t: ScenarioContext, right: string, send: () => Promise<RawResponse>): Promise<RawResponse> {
  try {
    return await send();
  } finally {
    const reset = await t.http('GET', '/artifactory/api/repositories', { auth: right });
    expect(reset.status, `the right password after a wrong one: ${reset.text}`).toBe(200);
  }
}
