import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../protocol/token/index.ts';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, codeOf, issueToken, makeIssuer, type Issuer } from './trust-fixtures.ts';

/**
 * EDGE-TRUST-13: the clock skew allowance is for tokens other services signed; this Edge's own
 * tokens were stamped by the clock that checks them and get none. The Edge's clock is injected.
 */

const SKEW = 60;
// On a whole second, as token times are.
let clock = Math.floor(Date.now() / 1000) * 1000;
let edge: RunningEdge;
let issuer: Issuer;

beforeAll(async () => {
  edge = await startEdge({ tokenClockSkewSecs: SKEW }, { now: () => clock });
  issuer = await makeIssuer();
  const trusted = await raw(edge.url, 'PUT', '/access/api/v1/cert/trusted/issuer', {
    headers: { authorization: edge.admin, 'content-type': 'text/plain' },
    body: issuer.certificatePem,
  });
  expect(trusted.status).toBe(201);
});
afterAll(() => edge.close());

const read = (token: string) => raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: bearer(token) } });

/** A token of the other service for this Edge's admin, valid from `iat` for `lifetime` seconds. */
function othersToken(iat: number, lifetime: number, nbf?: number): Promise<string> {
  const claims = {
    sub: `${issuer.serviceId}/users/admin`,
    scp: 'applied-permissions/admin',
    aud: '*@*',
    iss: issuer.serviceId,
    iat,
    exp: iat + lifetime,
    jti: `other-${iat}-${nbf}`,
  };
  return signToken(nbf === undefined ? claims : { ...claims, nbf }, issuer);
}

describe('EDGE-TRUST-13: clock skew', () => {
  it("EDGE-TRUST-13: this Edge's own token is refused the moment it expires, whatever tokenClockSkewSecs says", async () => {
    const { access_token } = await issueToken(edge.url, edge.admin, { expires_in: 60 });
    expect(codeOf(await read(access_token))).toBe(200);
    clock += 60_000;
    expect(codeOf(await read(access_token))).toBe(200);
    clock += 1_000;
    expect(codeOf(await read(access_token))).toBe('TOKEN_EXPIRED');
    clock += (SKEW - 2) * 1000;
    expect(codeOf(await read(access_token))).toBe('TOKEN_EXPIRED');
  });

  it("EDGE-TRUST-13: another service's token keeps the allowance, on both ends", async () => {
    const now = Math.floor(clock / 1000);
    const expiredWithinSkew = await othersToken(now - 120, 120 - SKEW + 1);
    expect(codeOf(await read(expiredWithinSkew))).toBe(200);
    const expiredPastSkew = await othersToken(now - 120, 120 - SKEW - 1);
    expect(codeOf(await read(expiredPastSkew))).toBe('TOKEN_EXPIRED');
    const notYetWithinSkew = await othersToken(now, 600, now + SKEW - 1);
    expect(codeOf(await read(notYetWithinSkew))).toBe(200);
    const notYetPastSkew = await othersToken(now, 600, now + SKEW + 1);
    expect(codeOf(await read(notYetPastSkew))).toBe('TOKEN_NOT_YET_VALID');
  });
});
