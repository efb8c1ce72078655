import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, codeOf, issueToken, putPermission, putUser } from './trust-fixtures.ts';

/**
 * Two Edges side by side (jfrog-compat.md §5): each trusts the other only once it holds the
 * other's root certificate — handed over by REST one way and by copying into the trusted
 * folder the other way — and stops as soon as it is removed.
 */
const UPLOADS = 'artifactory-edge-uploads';
let a: RunningEdge;
let b: RunningEdge;

beforeAll(async () => {
  [a, b] = await Promise.all([startEdge(), startEdge()]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

const id = (edge: RunningEdge) => edge.edge.context.serviceId;
const rootOf = async (edge: RunningEdge) => (await raw(edge.url, 'GET', '/access/api/v1/cert/root', { headers: { authorization: edge.admin } })).text;
const adminToken = async (edge: RunningEdge) => (await issueToken(edge.url, edge.admin, { scope: 'applied-permissions/admin' })).access_token;
/** An admin-only call, so success shows the token carries admin rights on the other Edge. */
const usersOn = (edge: RunningEdge, token: string) => raw(edge.url, 'GET', '/artifactory/api/security/users', { headers: { authorization: bearer(token) } });

describe('EDGE-TRUST-3, EDGE-TRUST-5, EDGE-TRUST-11: two Edges in a circle of trust', () => {
  let fromA: string;
  let fromB: string;
  beforeAll(async () => {
    [fromA, fromB] = await Promise.all([adminToken(a), adminToken(b)]);
  });

  it('do not trust each other before their certificates are exchanged', async () => {
    expect(codeOf(await usersOn(b, fromA))).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect(codeOf(await usersOn(a, fromB))).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect((await usersOn(a, fromA)).status).toBe(200);
  });

  it("B trusts A once A's certificate is added over REST — one way only", async () => {
    const res = await raw(b.url, 'PUT', '/access/api/v1/cert/trusted/edge-a', {
      headers: { authorization: b.admin, 'content-type': 'text/plain' },
      body: await rootOf(a),
    });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ subject: `CN=${id(a)}` });
    expect((await usersOn(b, fromA)).status).toBe(200);
    expect(codeOf(await usersOn(a, fromB))).toBe('TOKEN_UNTRUSTED_ISSUER');
  });

  it("A trusts B on the next request after B's root.crt is copied into A's trusted folder", async () => {
    await copyFile(join(b.dataDir, 'access', 'keys', 'root.crt'), join(a.dataDir, 'access', 'keys', 'trusted', 'edge-b.crt'));
    expect((await usersOn(a, fromB)).status).toBe(200);
  });

  it("a service in the circle has admin rights: A's admin token writes on B", async () => {
    const res = await raw(b.url, 'PUT', `/artifactory/${UPLOADS}/from-a.txt`, { headers: { authorization: bearer(fromA) }, body: 'hello from A' });
    expect(res.status).toBe(201);
    const item = (await raw(b.url, 'GET', `/artifactory/api/storage/${UPLOADS}/from-a.txt`, { headers: { authorization: b.admin } })).json();
    expect(item).toMatchObject({ createdBy: 'admin' });
  });

  it("EDGE-TRUST-15: a user-scoped token works only where its user exists, with that user's rights there", async () => {
    await putUser(a.url, a.admin, 'dana', {});
    const dana = (await issueToken(a.url, a.admin, { username: 'dana' })).access_token;
    const read = () => raw(b.url, 'GET', `/artifactory/${UPLOADS}/from-a.txt`, { headers: { authorization: bearer(dana) } });
    expect(codeOf(await read())).toBe('TOKEN_UNKNOWN_USER');
    await putUser(b.url, b.admin, 'dana', {});
    expect((await read()).status).toBe(404);
    await putPermission(b.url, b.admin, 'dana-reads', { repositories: [UPLOADS], actions: { users: { dana: ['read'] } } });
    expect((await read()).text).toBe('hello from A');
  });

  it('EDGE-TRUST-14: a token meant only for A is refused by B; one naming B is accepted', async () => {
    const onlyA = (await issueToken(a.url, a.admin, { scope: 'applied-permissions/admin', audience: id(a) })).access_token;
    expect((await usersOn(a, onlyA)).status).toBe(200);
    expect(codeOf(await usersOn(b, onlyA))).toBe('TOKEN_WRONG_AUDIENCE');
    const forB = (await issueToken(a.url, a.admin, { scope: 'applied-permissions/admin', audience: id(b) })).access_token;
    expect((await usersOn(b, forB)).status).toBe(200);
  });

  it('EDGE-TRUST-16: revoking on A ends a token on A at once; B cannot know (circle-of-trust tokens are non-revocable)', async () => {
    const token = await issueToken(a.url, a.admin, { scope: 'applied-permissions/admin', expires_in: 60 });
    expect((await raw(a.url, 'DELETE', `/access/api/v1/tokens/${token.token_id}`, { headers: { authorization: a.admin } })).status).toBe(200);
    expect(codeOf(await usersOn(a, token.access_token))).toBe('TOKEN_REVOKED');
    expect((await usersOn(b, token.access_token)).status).toBe(200);
  });

  it("B stops trusting A as soon as A's certificate is removed over REST", async () => {
    expect((await raw(b.url, 'DELETE', '/access/api/v1/cert/trusted/edge-a', { headers: { authorization: b.admin } })).status).toBe(204);
    expect(codeOf(await usersOn(b, fromA))).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect((await usersOn(a, fromB)).status).toBe(200);
  });

  it("A stops trusting B on the next request after B's certificate file is deleted", async () => {
    await rm(join(a.dataDir, 'access', 'keys', 'trusted', 'edge-b.crt'));
    expect(codeOf(await usersOn(a, fromB))).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect((await usersOn(a, fromA)).status).toBe(200);
    expect((await usersOn(b, fromB)).status).toBe(200);
  });
});
