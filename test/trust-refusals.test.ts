import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyId } from '../protocol/token/kid.ts';
import {
  REFUSALS,
  goodClaims,
  makeGoodToken,
  signWith,
  tokenMutations,
  type GoodToken,
  type Mutation,
  type SigningKeyPair,
} from '../protocol/token/mutations.ts';
import { basic, clientsOf, raw, snapshot, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, issueToken, makeIssuer, putPermission, putUser, type Issuer } from './trust-fixtures.ts';

const UPLOADS = 'artifactory-edge-uploads';
const SKEW = 60;

let edge: RunningEdge;
let issuer: Issuer;
let stranger: Issuer;
let own: SigningKeyPair;

beforeAll(async () => {
  edge = await startEdge({ tokenClockSkewSecs: SKEW });
  [issuer, stranger] = await Promise.all([makeIssuer(), makeIssuer('jfrt@01stranger000000000000000')]);
  const { access, artifactory } = clientsOf(edge);
  expect((await access.trustCertificate('issuer', issuer.certificatePem)).replaced).toBe(false);
  await putUser(edge.url, edge.admin, 'alice', {});
  await putPermission(edge.url, edge.admin, 'alice-uploads', { repositories: [UPLOADS], actions: { users: { alice: ['read', 'write'] } } });
  await artifactory.deploy(`${UPLOADS}/seed.txt`, 'seed');
  const privateKey = createPrivateKey(await readFile(join(edge.dataDir, 'access', 'keys', 'private.key')));
  const publicKey = createPublicKey(privateKey);
  own = { privateKey, publicKey, kid: await keyId(publicKey) };
});
afterAll(() => edge.close());

/** Everything a refused write could have touched: items, blobs, repositories, users, tokens, trust. */
async function state(): Promise<unknown> {
  const get = async (path: string) => (await raw(edge.url, 'GET', path, { headers: { authorization: edge.admin } })).json();
  return {
    content: await snapshot(edge),
    users: await get('/artifactory/api/security/users'),
    tokens: await get('/access/api/v1/tokens'),
    trusted: await get('/access/api/v1/cert/trusted'),
  };
}

/** Writes of every kind the Edge has; alice may do the first with a good token. */
const writes = fc.constantFrom(
  (authorization: string, n: number) => raw(edge.url, 'PUT', `/artifactory/${UPLOADS}/refused/${n}.txt`, { headers: { authorization }, body: `body ${n}` }),
  (authorization: string, n: number) => raw(edge.url, 'DELETE', `/artifactory/${UPLOADS}/seed.txt?n=${n}`, { headers: { authorization } }),
  (authorization: string, n: number) =>
    raw(edge.url, 'PUT', `/artifactory/api/repositories/refused-${n}`, {
      headers: { authorization, 'content-type': 'application/json' },
      body: '{"rclass":"local"}',
    }),
  (authorization: string, n: number) =>
    raw(edge.url, 'PUT', `/artifactory/api/security/users/mallory${n}`, {
      headers: { authorization, 'content-type': 'application/json' },
      body: '{"password":"mallory-password","admin":true}',
    }),
  (authorization: string) =>
    raw(edge.url, 'POST', '/access/api/v1/tokens', {
      headers: { authorization, 'content-type': 'application/json' },
      body: '{"scope":"applied-permissions/admin"}',
    }),
  (authorization: string) => raw(edge.url, 'PUT', '/access/api/v1/cert/trusted/stranger', { headers: { authorization }, body: stranger.certificatePem }),
  (authorization: string) => raw(edge.url, 'DELETE', '/access/api/v1/cert/trusted/issuer', { headers: { authorization } }),
);

/** EDGE-TRUST-15 needs the Edge's users, so its mutation lives here rather than in protocol/token. */
function unknownUser(good: GoodToken): fc.Arbitrary<Mutation> {
  return fc
    .stringMatching(/^[a-z][a-z0-9-]{0,15}$/)
    .filter((name) => name !== 'alice' && name !== 'admin')
    .map((name) => ({
      respect: `user ${name} does not exist here`,
      code: 'TOKEN_UNKNOWN_USER' as const,
      jwtShaped: true,
      make: () =>
        signWith(
          { ...goodClaims(good), sub: `${good.claims.iss}/users/${name}` },
          { ver: '2', typ: 'JWT', alg: 'RS256', kid: good.trusted.kid },
          good.trusted.privateKey,
        ),
    }));
}

/**
 * Every mutation of `good` with one of `codes`, sent on a random kind of write, as bearer or as
 * basic-auth password, is refused with its code; afterwards nothing has changed, and the good
 * token itself is accepted.
 */
async function checkRefusals(good: GoodToken, codes: readonly string[]): Promise<void> {
  const token = await makeGoodToken(good);
  expect((await raw(edge.url, 'GET', `/artifactory/${UPLOADS}/seed.txt`, { headers: { authorization: bearer(token) } })).status).toBe(200);

  const before = await state();
  const mutations = fc.oneof(tokenMutations(good), unknownUser(good)).filter((m) => codes.includes(m.code));
  await fc.assert(
    fc.asyncProperty(mutations, writes, fc.boolean(), fc.nat(), async (mutation, write, asPassword, n) => {
      const bad = await mutation.make();
      const authorization = asPassword && mutation.jwtShaped ? basic('alice', bad) : bearer(bad);
      const res = await write(authorization, n);
      expect(res.status, mutation.respect).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="Artifactory Realm"');
      expect(res.json(), mutation.respect).toEqual({
        errors: [{ status: 401, code: mutation.code, message: expect.stringMatching(/^Invalid token: .+\.$/), requestId: res.headers['x-request-id'] }],
      });
      for (const part of bad.split('.').filter((p) => p.length >= 8)) expect(res.text).not.toContain(part);
    }),
    { numRuns: 60 },
  );
  // EDGE-TRUST-17: nothing any refused write could reach has changed.
  expect(await state()).toEqual(before);

  const accepted = await raw(edge.url, 'PUT', `/artifactory/${UPLOADS}/accepted-${randomUUID()}.txt`, {
    headers: { authorization: basic('alice', token) },
    body: 'ok',
  });
  expect(accepted.status).toBe(201);
}

const fromIssuer = (): GoodToken => ({
  trusted: issuer,
  untrusted: stranger,
  serviceId: edge.edge.context.serviceId,
  clockSkewSecs: SKEW,
  now: Date.now,
  claims: { sub: `${issuer.serviceId}/users/alice`, scp: 'applied-permissions/user', aud: edge.edge.context.serviceId, iss: issuer.serviceId, jti: 'issuer-1' },
});

const fromThisEdge = async (): Promise<GoodToken> => {
  const { token_id } = await issueToken(edge.url, edge.admin, { username: 'alice' });
  const serviceId = edge.edge.context.serviceId;
  return {
    trusted: own,
    untrusted: stranger,
    serviceId,
    // EDGE-TRUST-13: none for the Edge's own tokens.
    clockSkewSecs: 0,
    now: Date.now,
    claims: { sub: `${serviceId}/users/alice`, scp: 'applied-permissions/user', aud: 'jfrt@*', iss: serviceId, jti: token_id },
  };
};

describe('token refusals over HTTP, on every kind of write, leaving everything unchanged', () => {
  for (const { id, codes } of REFUSALS) {
    it(`${id}, EDGE-TRUST-17: a trusted service's token changed in one respect is refused with ${codes.join(' or ')}`, async () => {
      await checkRefusals(fromIssuer(), codes);
    });
    it(`${id}, EDGE-TRUST-17: this Edge's own token changed in one respect is refused with ${codes.join(' or ')}`, async () => {
      await checkRefusals(await fromThisEdge(), codes);
    });
  }

  it('an empty bearer token or an unknown scheme is refused as bad credentials', async () => {
    for (const authorization of ['Bearer', 'Bearer   ', 'Token abc', 'Negotiate xyz']) {
      const res = await raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.json()).toMatchObject({ errors: [{ code: 'BAD_CREDENTIALS' }] });
    }
  });
});
