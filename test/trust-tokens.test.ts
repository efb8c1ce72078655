import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, type TokenClaims } from '../protocol/token/index.ts';
import { accessPaths } from '../protocol/wire/access.ts';
import { basic, clientsOf, raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, codeOf, decode, issueToken, postJson, putPermission, putUser, type TokenResponse } from './trust-fixtures.ts';

const TOKENS = accessPaths.tokens;
const UPLOADS = 'artifactory-edge-uploads';

let edge: RunningEdge;
const alice = basic('alice', 'alice-password-1');
const bob = basic('bob', 'bob-password-1');

beforeAll(async () => {
  edge = await startEdge({ tokenDefaultExpiresInSecs: 600, tokenMaxExpiresInSecs: 86_400 });
  await putUser(edge.url, edge.admin, 'alice', { groups: ['readers'] });
  await putUser(edge.url, edge.admin, 'bob', {});
  // alice may write to the uploads repository; the readers group may only read it.
  await putPermission(edge.url, edge.admin, 'alice-uploads', { repositories: [UPLOADS], actions: { users: { alice: ['read', 'write'] } } });
  await putPermission(edge.url, edge.admin, 'readers-uploads', { repositories: [UPLOADS], actions: { groups: { readers: ['read'] } } });
  await clientsOf(edge).artifactory.deploy(`${UPLOADS}/seed.txt`, 'seed');
});
afterAll(() => edge.close());

const as = (authorization: string) => ({
  read: () => raw(edge.url, 'GET', `/artifactory/${UPLOADS}/seed.txt`, { headers: { authorization } }),
  write: (name: string) => raw(edge.url, 'PUT', `/artifactory/${UPLOADS}/${name}`, { headers: { authorization }, body: name }),
  listUsers: () => raw(edge.url, 'GET', '/artifactory/api/security/users', { headers: { authorization } }),
});

describe('EDGE-TRUST-6: POST /access/api/v1/tokens', () => {
  it('issues a JFrog-shaped RS256 token from JSON', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await issueToken(edge.url, edge.admin, { username: 'alice', scope: 'applied-permissions/user', expires_in: 120, audience: 'jfrt@*' });
    expect(res).toEqual({
      token_id: expect.any(String),
      access_token: expect.any(String),
      expires_in: 120,
      scope: 'applied-permissions/user',
      token_type: 'Bearer',
    });
    const { header, claims } = decode(res.access_token);
    expect(header).toEqual({ ver: '2', typ: 'JWT', alg: 'RS256', kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const serviceId = edge.edge.context.serviceId;
    expect(claims).toEqual({
      sub: `${serviceId}/users/alice`,
      scp: 'applied-permissions/user',
      aud: 'jfrt@*',
      iss: serviceId,
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: res.token_id,
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
  });

  it('takes form fields as JFrog clients send them, with defaults for what is left out', async () => {
    const res = await raw(edge.url, 'POST', TOKENS, {
      headers: { authorization: alice, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&include_reference_token=false',
    });
    expect(res.status).toBe(200);
    const token = res.json() as TokenResponse;
    expect(token).toMatchObject({ expires_in: 600, scope: 'applied-permissions/user' });
    expect(decode(token.access_token).claims).toMatchObject({ sub: `${edge.edge.context.serviceId}/users/alice`, aud: '*@*' });
  });

  it('writes several audiences as an array', async () => {
    const res = await issueToken(edge.url, edge.admin, { audience: 'jfrt@* jfmd@*', refreshable: 'false' });
    expect(decode(res.access_token).claims.aud).toEqual(['jfrt@*', 'jfmd@*']);
  });

  it('refuses bad requests with 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ expires_in: 0 }, /only tokens that expire/],
      [{ expires_in: 86_401 }, /at most 86400/],
      [{ expires_in: -5 }, /expires_in/],
      [{ expires_in: 'soon' }, /expires_in/],
      [{ scope: 'applied-permissions/users' }, /scope/],
      [{ scope: 'api:*' }, /scope/],
      [{ scope: 'applied-permissions/user system:admin' }, /scope/],
      [{ audience: 'everyone' }, /audience/],
      [{ refreshable: 'maybe' }, /refreshable/],
      [{ username: '../etc' }, /Invalid user name/],
      [{ username: 'ghost', scope: 'applied-permissions/user' }, /does not exist/],
      [[1, 2], /send JSON or form fields/],
    ];
    for (const [body, message] of cases) {
      const res = await postJson(edge.url, TOKENS, edge.admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.json() as { errors: { message: string }[] }).errors[0]?.message, JSON.stringify(body)).toMatch(message);
    }
    const notJson = await raw(edge.url, 'POST', TOKENS, { headers: { authorization: edge.admin, 'content-type': 'application/json' }, body: '{' });
    expect(codeOf(notJson)).toBe('MALFORMED_JSON');
  });

  it('refuses anonymous callers', async () => {
    expect(codeOf(await postJson(edge.url, TOKENS, undefined, {}))).toBe('UNAUTHENTICATED');
  });
});

describe('EDGE-TRUST-7: who may issue what', () => {
  it('a user gets tokens for themselves, for their own groups, never admin scope or another user', async () => {
    expect((await postJson(edge.url, TOKENS, alice, { scope: 'applied-permissions/groups:readers' })).status).toBe(200);
    expect(codeOf(await postJson(edge.url, TOKENS, alice, { username: 'bob' }))).toBe('FORBIDDEN');
    expect(codeOf(await postJson(edge.url, TOKENS, alice, { scope: 'applied-permissions/admin' }))).toBe('FORBIDDEN');
    expect(codeOf(await postJson(edge.url, TOKENS, alice, { scope: 'applied-permissions/groups:admins' }))).toBe('FORBIDDEN');
  });

  it('an admin issues for any user, and admin or groups scope even for users that do not exist here', async () => {
    expect((await postJson(edge.url, TOKENS, edge.admin, { username: 'bob' })).status).toBe(200);
    expect((await postJson(edge.url, TOKENS, edge.admin, { username: 'deployer-bot', scope: 'applied-permissions/admin' })).status).toBe(200);
    expect((await postJson(edge.url, TOKENS, edge.admin, { username: 'ci', scope: 'applied-permissions/groups:readers' })).status).toBe(200);
  });
});

describe('EDGE-TRUST-8: tokens as bearer and as the password of basic auth', () => {
  it("are accepted both ways; basic auth must name the token's user", async () => {
    const { access_token } = await issueToken(edge.url, alice);
    expect((await as(bearer(access_token)).read()).status).toBe(200);
    expect((await as(basic('alice', access_token)).read()).status).toBe(200);
    expect(codeOf(await as(basic('bob', access_token)).read())).toBe('BAD_CREDENTIALS');
  });
});

describe('EDGE-TRUST-15: what a scope grants', () => {
  it('applied-permissions/user: what the user may do, no more', async () => {
    const user = as(bearer((await issueToken(edge.url, alice)).access_token));
    expect((await user.read()).status).toBe(200);
    expect((await user.write('by-alice-token.txt')).status).toBe(201);
    expect(codeOf(await user.listUsers())).toBe('FORBIDDEN');
  });

  it('applied-permissions/admin: what an admin may do', async () => {
    const admin = as(bearer((await issueToken(edge.url, edge.admin, { username: 'deployer-bot', scope: 'applied-permissions/admin' })).access_token));
    expect((await admin.listUsers()).status).toBe(200);
    expect((await admin.write('by-admin-token.txt')).status).toBe(201);
  });

  it("applied-permissions/groups: what the groups may do — not what the subject's user may", async () => {
    // The subject is alice, who may write; the readers group may only read.
    const groups = as(bearer((await issueToken(edge.url, alice, { scope: 'applied-permissions/groups:readers' })).access_token));
    expect((await groups.read()).status).toBe(200);
    expect(codeOf(await groups.write('by-groups-token.txt'))).toBe('FORBIDDEN');
  });

  it('a user-scoped token stops working when its user is deleted (TOKEN_UNKNOWN_USER)', async () => {
    await putUser(edge.url, edge.admin, 'carol', {});
    const { access_token } = await issueToken(edge.url, edge.admin, { username: 'carol' });
    expect((await as(bearer(access_token)).listUsers()).status).toBe(403);
    await raw(edge.url, 'DELETE', '/artifactory/api/security/users/carol', { headers: { authorization: edge.admin } });
    expect(codeOf(await as(bearer(access_token)).listUsers())).toBe('TOKEN_UNKNOWN_USER');
  });
});

describe('EDGE-TRUST-16: listing and revoking', () => {
  it('a revoked token is refused on the very next request', async () => {
    const token = await issueToken(edge.url, edge.admin, { username: 'bob' });
    expect((await as(bearer(token.access_token)).read()).status).toBe(404);
    const res = await raw(edge.url, 'DELETE', `${TOKENS}/${token.token_id}`, { headers: { authorization: edge.admin } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('Token revoked');
    const refused = await as(bearer(token.access_token)).read();
    expect(refused.json()).toEqual({
      errors: [{ status: 401, code: 'TOKEN_REVOKED', message: 'Invalid token: it has been revoked.', requestId: refused.headers['x-request-id'] }],
    });
    expect(codeOf(await as(basic('bob', token.access_token)).read())).toBe('TOKEN_REVOKED');
  });

  it('admins list every token, users their own; users revoke only their own', async () => {
    const mine = await issueToken(edge.url, bob, { description: 'laptop' });
    const theirs = await issueToken(edge.url, alice);
    const all = (await raw(edge.url, 'GET', TOKENS, { headers: { authorization: edge.admin } })).json() as { tokens: { token_id: string }[] };
    expect(all.tokens.map((t) => t.token_id)).toEqual(expect.arrayContaining([mine.token_id, theirs.token_id]));
    const own = (await raw(edge.url, 'GET', TOKENS, { headers: { authorization: bob } })).json() as { tokens: Record<string, unknown>[] };
    expect(own.tokens.every((t) => (t.subject as string).endsWith('/users/bob'))).toBe(true);
    expect(own.tokens).toContainEqual({
      token_id: mine.token_id,
      subject: `${edge.edge.context.serviceId}/users/bob`,
      scope: 'applied-permissions/user',
      audience: '*@*',
      issuer: edge.edge.context.serviceId,
      issued_at: expect.any(Number),
      expiry: expect.any(Number),
      refreshable: false,
      description: 'laptop',
      revoked: false,
    });
    expect(codeOf(await raw(edge.url, 'DELETE', `${TOKENS}/${theirs.token_id}`, { headers: { authorization: bob } }))).toBe('NOT_FOUND');
    expect((await raw(edge.url, 'DELETE', `${TOKENS}/${mine.token_id}`, { headers: { authorization: bob } })).status).toBe(200);
    expect(codeOf(await raw(edge.url, 'DELETE', `${TOKENS}/no-such-token`, { headers: { authorization: edge.admin } }))).toBe('NOT_FOUND');
    expect(codeOf(await raw(edge.url, 'GET', TOKENS))).toBe('UNAUTHENTICATED');
  });

  it("a token signed with this Edge's own key that it has no record of is refused", async () => {
    const privateKey = createPrivateKey(await readFile(join(edge.dataDir, 'access', 'keys', 'private.key')));
    const { access_token } = await issueToken(edge.url, edge.admin);
    const { header, claims } = decode(access_token);
    for (const jti of [randomUUID(), undefined]) {
      const forged = await signToken({ ...(claims as TokenClaims), jti }, { privateKey, kid: header.kid as string });
      const res = await as(bearer(forged)).read();
      expect(res.json()).toEqual({
        errors: [
          { status: 401, code: 'TOKEN_REVOKED', message: 'Invalid token: this Edge has no record of issuing it.', requestId: res.headers['x-request-id'] },
        ],
      });
    }
  });
});

describe('EDGE-TRUST-18: refresh', () => {
  it('a refreshable token is replaced once: the new one works, the old one and the used refresh token do not', async () => {
    const first = await issueToken(edge.url, alice, { refreshable: true, expires_in: 300 });
    expect(first.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const refreshed = await raw(edge.url, 'POST', TOKENS, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '', access_token: first.access_token }).toString(),
    });
    expect(refreshed.status).toBe(200);
    const second = refreshed.json() as TokenResponse;
    expect(second).toMatchObject({ expires_in: 300, scope: 'applied-permissions/user', token_type: 'Bearer', refresh_token: expect.any(String) });
    expect(decode(second.access_token).claims.sub).toBe(decode(first.access_token).claims.sub);
    expect((await as(bearer(second.access_token)).read()).status).toBe(200);
    expect(codeOf(await as(bearer(first.access_token)).read())).toBe('TOKEN_REVOKED');
    const again = await postJson(edge.url, TOKENS, undefined, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(codeOf(again)).toBe('TOKEN_REVOKED');
  });

  it('refuses a refresh token with another token, or none at all', async () => {
    const one = await issueToken(edge.url, alice, { refreshable: true });
    const other = await issueToken(edge.url, alice);
    const mismatch = await postJson(edge.url, TOKENS, undefined, {
      grant_type: 'refresh_token',
      refresh_token: one.refresh_token,
      access_token: other.access_token,
    });
    expect(codeOf(mismatch)).toBe('INVALID_BODY');
    expect(codeOf(await postJson(edge.url, TOKENS, undefined, { grant_type: 'refresh_token' }))).toBe('INVALID_BODY');
    expect(codeOf(await postJson(edge.url, TOKENS, undefined, { grant_type: 'refresh_token', refresh_token: 'made-up' }))).toBe('TOKEN_REVOKED');
  });

  it('two refreshes racing with one refresh token: exactly one wins', async () => {
    const token = await issueToken(edge.url, alice, { refreshable: true });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => postJson(edge.url, TOKENS, undefined, { grant_type: 'refresh_token', refresh_token: token.refresh_token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
  });
});
