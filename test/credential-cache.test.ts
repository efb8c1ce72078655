import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessPaths } from '../protocol/wire/access.ts';
import { basic, clientsOf, raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, codeOf, issueToken, postJson, putPermission, putUser } from './trust-fixtures.ts';

/**
 * EDGE-AUTH-10 over HTTP: every request below is sent twice before the change, so the
 * credential (and the permission targets) are surely cached, and once right after it — the
 * very next request must see the change. The clock is injected, so the cache's TTL never
 * explains a refusal; only the change can.
 */

let now = 1_800_000_000_000;
let edge: RunningEdge;
const REPO = 'artifactory-edge-uploads';
const FILE = `${REPO}/cache/a.txt`;

beforeAll(async () => {
  edge = await startEdge({}, { now: () => now });
  await clientsOf(edge).artifactory.deploy(FILE, 'cached bytes');
});
afterAll(() => edge.close());

/** A user who may read the uploads repository, with `password`. */
async function reader(name: string, password = `${name}-password-1`): Promise<string> {
  await putUser(edge.url, edge.admin, name, { password, email: `${name}@example.com` });
  await putPermission(edge.url, edge.admin, `${name}-read`, { repositories: [REPO], actions: { users: { [name]: ['read'] } } });
  return basic(name, password);
}

/** The status of a download with `authorization` (or the refusal's code), sent `times` times; the last answer counts. */
async function download(authorization: string, times = 1): Promise<string | number> {
  let answer: string | number = 0;
  for (let i = 0; i < times; i++) answer = codeOf(await raw(edge.url, 'GET', `/artifactory/${FILE}`, { headers: { authorization } }));
  return answer;
}

describe('EDGE-AUTH-10: a cached password check ends with the change', () => {
  it('a changed password is refused on the very next request; the new one works', async () => {
    const old = await reader('pat');
    expect(await download(old, 2)).toBe(200);
    await clientsOf(edge).artifactory.updateUser('pat', { password: 'pat-password-2' });
    expect(await download(old)).toBe('BAD_CREDENTIALS');
    expect(await download(basic('pat', 'pat-password-2'))).toBe(200);
  });

  it('a removed user is refused on the very next request', async () => {
    const credentials = await reader('rem');
    expect(await download(credentials, 2)).toBe(200);
    await clientsOf(edge).artifactory.deleteUser('rem');
    expect(await download(credentials)).toBe('BAD_CREDENTIALS');
  });

  it('a removed permission target is gone on the very next request (the file answers as absent)', async () => {
    const credentials = await reader('per');
    expect(await download(credentials, 2)).toBe(200);
    await clientsOf(edge).artifactory.deletePermission('per-read');
    expect(await download(credentials)).toBe('NOT_FOUND');
  });
});

describe('EDGE-AUTH-10: a cached token check ends with the change', () => {
  it('a revoked token is refused on the very next request', async () => {
    const credentials = await reader('tok');
    const token = await issueToken(edge.url, credentials);
    expect(await download(bearer(token.access_token), 2)).toBe(200);
    await clientsOf(edge).access.revokeToken(token.token_id);
    expect(await download(bearer(token.access_token))).toBe('TOKEN_REVOKED');
  });

  it('a refreshed token is refused on the very next request; its successor works', async () => {
    const credentials = await reader('ref');
    const token = await issueToken(edge.url, credentials, { refreshable: true });
    expect(await download(bearer(token.access_token), 2)).toBe(200);
    const refreshed = await postJson(edge.url, accessPaths.tokens, undefined, {
      grant_type: 'refresh_token',
      refresh_token: token.refresh_token,
      access_token: token.access_token,
    });
    expect(refreshed.status).toBe(200);
    expect(await download(bearer(token.access_token))).toBe('TOKEN_REVOKED');
    expect(await download(bearer((refreshed.json() as { access_token: string }).access_token))).toBe(200);
  });

  it('the token of a removed user is refused on the very next request', async () => {
    const credentials = await reader('gone');
    const token = await issueToken(edge.url, credentials);
    expect(await download(bearer(token.access_token), 2)).toBe(200);
    await clientsOf(edge).artifactory.deleteUser('gone');
    expect(await download(bearer(token.access_token))).toBe('TOKEN_UNKNOWN_USER');
  });

  it('a token sent as the password of basic auth ends with its revocation too (EDGE-TRUST-8)', async () => {
    const credentials = await reader('bas');
    const token = await issueToken(edge.url, credentials);
    expect(await download(basic('bas', token.access_token), 2)).toBe(200);
    await clientsOf(edge).access.revokeToken(token.token_id);
    expect(await download(basic('bas', token.access_token))).toBe('TOKEN_REVOKED');
  });

  it('a cached token is refused once its exp has passed, though nothing changed', async () => {
    const credentials = await reader('exp');
    const token = await issueToken(edge.url, credentials, { expires_in: 30 });
    expect(await download(bearer(token.access_token), 2)).toBe(200);
    now += 31_000;
    expect(await download(bearer(token.access_token))).toBe('TOKEN_EXPIRED');
  });
});
