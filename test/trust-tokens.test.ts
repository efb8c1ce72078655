import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, type TokenClaims } from '../protocol/token/index.ts';
import { accessPaths } from '../protocol/wire/access.ts';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, decode, issueToken, postJson } from './trust-fixtures.ts';

/**
 * What of this Edge's tokens needs its configuration or its key on disk. The rest of issuing,
 * using, revoking and refreshing tokens is checked over HTTP by the trust scenarios
 * (scenarios/scripted/trust/, run by test/scenarios-trust.test.ts).
 */

let edge: RunningEdge;

beforeAll(async () => {
  edge = await startEdge({ tokenDefaultExpiresInSecs: 600, tokenMaxExpiresInSecs: 86_400 });
});
afterAll(() => edge.close());

describe('EDGE-TRUST-6, EDGE-TRUST-7: the configured lifetimes', () => {
  it('tokenDefaultExpiresInSecs is the lifetime when none is asked for', async () => {
    const token = await issueToken(edge.url, edge.admin, {});
    expect(token.expires_in).toBe(600);
    const { claims } = decode(token.access_token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
  });

  it('tokenMaxExpiresInSecs is the ceiling: one second more is refused naming it', async () => {
    expect((await postJson(edge.url, accessPaths.tokens, edge.admin, { expires_in: 86_400 })).status).toBe(200);
    const res = await postJson(edge.url, accessPaths.tokens, edge.admin, { expires_in: 86_401 });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ code: 'INVALID_BODY', message: "Invalid 'expires_in': at most 86400 seconds." }] });
  });
});

describe('EDGE-TRUST-16: tokens signed with the key on disk', () => {
  it("a token signed with this Edge's own key that it has no record of is refused", async () => {
    const privateKey = createPrivateKey(await readFile(join(edge.dataDir, 'access', 'keys', 'private.key')));
    const { access_token } = await issueToken(edge.url, edge.admin);
    const { header, claims } = decode(access_token);
    for (const jti of [randomUUID(), undefined]) {
      const forged = await signToken({ ...(claims as TokenClaims), jti }, { privateKey, kid: header.kid as string });
      const res = await raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: bearer(forged) } });
      expect(res.json()).toEqual({
        errors: [
          { status: 401, code: 'TOKEN_REVOKED', message: 'Invalid token: this Edge has no record of issuing it.', requestId: res.headers['x-request-id'] },
        ],
      });
    }
  });
});
