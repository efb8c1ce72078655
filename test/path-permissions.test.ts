import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basic, clientsOf, snapshot, startEdge, type RawResponse, type RunningEdge } from './edge-harness.ts';
import { call, expectError, expectStatus, withoutRequestId } from './edge-calls.ts';
import { putPermission, putUser } from './trust-fixtures.ts';

/**
 * Issue #8, holes 1–3: a user with read, write and delete on the uploads repository, include
 * `**`, exclude `secret/**` (and `**∕*.key`), must learn nothing of `secret/s.txt` or
 * `pub/id.key` that an admin deployed: not through listings (EDGE-AUTH-5), not by deploying
 * their checksum (EDGE-ART-4), not by copying or moving the folders that hold them
 * (EDGE-AUTH-6). The same goes for delete and recursive properties.
 */

const UPLOADS = 'artifactory-edge-uploads';
const SECRET = 'the excluded bytes of secret/s.txt\n';
const KEY = 'the excluded bytes of pub/id.key\n';
const PUBLIC = 'readable bytes of pub/p.txt\n';
const hashes = (text: string) => ({
  sha256: createHash('sha256').update(text).digest('hex'),
  sha1: createHash('sha1').update(text).digest('hex'),
  md5: createHash('md5').update(text).digest('hex'),
});
const HIDDEN = [
  { name: 's.txt', bytes: SECRET, ...hashes(SECRET) },
  { name: 'id.key', bytes: KEY, ...hashes(KEY) },
];

let edge: RunningEdge;
let dana: string;

/** The response names nothing of the excluded files: not their names, checksums or bytes. */
function expectNothingHidden(res: RawResponse): void {
  const seen = `${JSON.stringify(res.headers)}\n${res.text}`;
  for (const hidden of HIDDEN) {
    for (const value of [hidden.name, hidden.sha256, hidden.sha1, hidden.md5, hidden.bytes]) expect(seen).not.toContain(value);
  }
}

const deploy = (path: string, body: string) => clientsOf(edge).artifactory.deploy(`${UPLOADS}/${path}`, body);
const adminGet = (path: string) => call(edge, 'GET', path, { auth: edge.admin });

beforeAll(async () => {
  edge = await startEdge();
  await putUser(edge.url, edge.admin, 'dana', {});
  dana = basic('dana', 'dana-password-1');
  await putPermission(edge.url, edge.admin, 'dana-uploads', {
    repositories: [UPLOADS],
    'include-patterns': ['**'],
    'exclude-patterns': ['secret/**', '**/*.key'],
    actions: { users: { dana: ['read', 'write', 'delete', 'annotate'] } },
  });
});
afterAll(async () => {
  await edge?.close();
});

beforeEach(async () => {
  // Each test starts from the same tree: admin-deployed files, two of them excluded for dana.
  const { artifactory } = clientsOf(edge);
  await artifactory.delete(`${UPLOADS}/`);
  await deploy('secret/s.txt', SECRET);
  await deploy('pub/p.txt', PUBLIC);
  await deploy('pub/id.key', KEY);
  await artifactory.setProperties(`${UPLOADS}/pub`, { owner: ['admin'] }, { recursive: true });
});

describe('hole 1 — EDGE-AUTH-5: listings and item reports show only what the caller may read', () => {
  it('EDGE-AUTH-5: ?list&deep=1 (with and without folders) names no excluded file', async () => {
    for (const query of ['list&deep=1', 'list&deep=1&listFolders=1', 'list', 'list&listFolders=1']) {
      const res = await expectStatus(call(edge, 'GET', `/artifactory/api/storage/${UPLOADS}?${query}`, { auth: dana }), 200);
      expectNothingHidden(res);
      const uris = (res.json() as { files: { uri: string }[] }).files.map((f) => f.uri);
      if (query.includes('deep')) expect(uris).toContain('/pub/p.txt');
      // Control: the admin sees both excluded files.
      const admin = await adminGet(`/artifactory/api/storage/${UPLOADS}?${query}`);
      if (query.includes('deep')) for (const hidden of HIDDEN) expect(admin.text).toContain(hidden.sha256);
    }
  });

  it('EDGE-AUTH-5: ?list of a readable folder leaves out the excluded file in it', async () => {
    const res = await expectStatus(call(edge, 'GET', `/artifactory/api/storage/${UPLOADS}/pub?list&deep=1`, { auth: dana }), 200);
    expect((res.json() as { files: { uri: string }[] }).files.map((f) => f.uri)).toEqual(['/p.txt']);
    expectNothingHidden(res);
  });

  it('EDGE-AUTH-5: the storage info of secret/ answers exactly as for an absent folder', async () => {
    const secret = await call(edge, 'GET', `/artifactory/api/storage/${UPLOADS}/secret`, { auth: dana });
    const absent = await call(edge, 'GET', `/artifactory/api/storage/${UPLOADS}/absent`, { auth: dana });
    expectError(secret, 404, 'NOT_FOUND', /secret/);
    expect(withoutRequestId(secret).replace('secret', 'absent')).toBe(withoutRequestId(absent));
    expectNothingHidden(secret);
  });

  it('EDGE-AUTH-5: folder info children and the root info leave out what the caller cannot read', async () => {
    const pub = await expectStatus(call(edge, 'GET', `/artifactory/api/storage/${UPLOADS}/pub`, { auth: dana }), 200);
    expect((pub.json() as { children: { uri: string }[] }).children).toEqual([{ uri: '/p.txt', folder: false }]);
    const root = await expectStatus(call(edge, 'GET', `/artifactory/api/storage/${UPLOADS}`, { auth: dana }), 200);
    expect((root.json() as { children: { uri: string }[] }).children).toEqual([{ uri: '/pub', folder: true }]);
    expectNothingHidden(pub);
  });

  it('EDGE-AUTH-5: HTML listings of secret/ and pub/ name no excluded file; HEAD agrees', async () => {
    expectError(await call(edge, 'GET', `/artifactory/${UPLOADS}/secret/`, { auth: dana }), 404, 'NOT_FOUND', /secret/);
    const pub = await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/pub/`, { auth: dana }), 200);
    expect(pub.text).toContain('p.txt');
    expectNothingHidden(pub);
    const head = await expectStatus(call(edge, 'HEAD', `/artifactory/${UPLOADS}/pub/`, { auth: dana }), 200);
    expect(Number(head.headers['content-length'])).toBe(pub.body.length);
    const root = await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/`, { auth: dana }), 200);
    expect(root.text).not.toContain('secret');
  });

  it('EDGE-AUTH-5: properties, file info and checksum files of an excluded file answer exactly as for an absent one', async () => {
    for (const path of [
      `/artifactory/api/storage/${UPLOADS}/pub/id.key`,
      `/artifactory/api/storage/${UPLOADS}/pub/id.key?properties`,
      `/artifactory/api/storage/${UPLOADS}/secret?properties`,
      `/artifactory/api/storage/${UPLOADS}/secret/s.txt?properties`,
      `/artifactory/${UPLOADS}/pub/id.key.sha256`,
      `/artifactory/${UPLOADS}/pub/id.key.md5`,
    ]) {
      const absentPath = path.replace('id.key', 'no.key').replace('secret', 'absent');
      const res = await call(edge, 'GET', path, { auth: dana });
      const absent = await call(edge, 'GET', absentPath, { auth: dana });
      expectError(res, 404, 'NOT_FOUND', /.+/);
      expect(withoutRequestId(res).replace('id.key', 'no.key').replace('secret', 'absent')).toBe(withoutRequestId(absent));
    }
    const head = await call(edge, 'HEAD', `/artifactory/${UPLOADS}/pub/id.key`, { auth: dana });
    expect(head.status).toBe(404);
    expect(head.headers['x-checksum-sha256']).toBeUndefined();
  });
});

describe('hole 2 — EDGE-ART-4: deploy by checksum needs a copy the caller can read where it is', () => {
  const byChecksum = (path: string, sha256: string) =>
    call(edge, 'PUT', `/artifactory/${UPLOADS}/${path}`, { auth: dana, headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': sha256 } });

  for (const hidden of HIDDEN) {
    it(`EDGE-ART-4: the checksum of excluded ${hidden.name} answers exactly as an unknown checksum, and nothing is deployed`, async () => {
      const before = await snapshot(edge);
      const res = await byChecksum('pub/leak.txt', hidden.sha256);
      const unknownSha = 'f'.repeat(64);
      const unknown = await byChecksum('pub/leak.txt', unknownSha);
      expectError(res, 404, 'CHECKSUM_DEPLOY_UNKNOWN', /Upload the content/);
      expect(withoutRequestId(res).replace(hidden.sha256, unknownSha)).toBe(withoutRequestId(unknown));
      expect(await snapshot(edge)).toEqual(before);
      expectError(await call(edge, 'GET', `/artifactory/${UPLOADS}/pub/leak.txt`, { auth: dana }), 404, 'NOT_FOUND', /leak/);
    });
  }

  it('EDGE-ART-4: a readable copy elsewhere is used even when an unreadable one exists too (control)', async () => {
    await deploy('pub/also-secret.txt', SECRET);
    const res = await expectStatus(byChecksum('pub/copied.txt', HIDDEN[0]?.sha256 as string), 201);
    expect(res.json()).toMatchObject({ path: '/pub/copied.txt' });
    expect((await call(edge, 'GET', `/artifactory/${UPLOADS}/pub/copied.txt`, { auth: dana })).text).toBe(SECRET);
  });
});

describe('hole 3 — EDGE-AUTH-6: copy and move carry nothing the caller may not read', () => {
  it('EDGE-AUTH-6: copy and move of secret/ answer as for an absent source and change nothing', async () => {
    for (const op of ['copy', 'move']) {
      const before = await snapshot(edge);
      const res = await call(edge, 'POST', `/artifactory/api/${op}/${UPLOADS}/secret?to=/${UPLOADS}/pub/leak`, { auth: dana });
      const absent = await call(edge, 'POST', `/artifactory/api/${op}/${UPLOADS}/absent?to=/${UPLOADS}/pub/leak`, { auth: dana });
      expectError(res, 404, 'NOT_FOUND', /secret/);
      expect(withoutRequestId(res).replace('secret', 'absent')).toBe(withoutRequestId(absent));
      expect(await snapshot(edge)).toEqual(before);
      expectError(await call(edge, 'GET', `/artifactory/${UPLOADS}/pub/leak/s.txt`, { auth: dana }), 404, 'NOT_FOUND', /s\.txt/);
    }
  });

  it('EDGE-AUTH-6: copying a folder copies only its readable items, and counts only those', async () => {
    for (const dry of [true, false]) {
      const res = await expectStatus(call(edge, 'POST', `/artifactory/api/copy/${UPLOADS}/pub?to=/${UPLOADS}/pub2${dry ? '&dry=1' : ''}`, { auth: dana }), 200);
      expect(res.text).toContain('1 artifacts and 1 folders');
    }
    await expectStatus(adminGet(`/artifactory/${UPLOADS}/pub2/p.txt`), 200);
    expectError(await adminGet(`/artifactory/${UPLOADS}/pub2/id.key`), 404, 'NOT_FOUND', /id\.key/);
  });

  it('EDGE-AUTH-6: moving a folder leaves the unreadable items, and the folder holding them, where they were', async () => {
    const res = await expectStatus(call(edge, 'POST', `/artifactory/api/move/${UPLOADS}/pub?to=/${UPLOADS}/moved`, { auth: dana }), 200);
    expect(res.text).toContain('1 artifacts and 1 folders');
    expect((await adminGet(`/artifactory/${UPLOADS}/moved/p.txt`)).text).toBe(PUBLIC);
    expect((await adminGet(`/artifactory/${UPLOADS}/pub/id.key`)).text).toBe(KEY);
    expect((await adminGet(`/artifactory/api/storage/${UPLOADS}/pub/id.key?properties`)).json()).toMatchObject({ properties: { owner: ['admin'] } });
    expectError(await adminGet(`/artifactory/${UPLOADS}/pub/p.txt`), 404, 'NOT_FOUND', /p\.txt/);
  });

  it('EDGE-AUTH-6: a readable item the caller may not delete stops the whole move, and nothing changes', async () => {
    // finn reads everything but may delete only in mixed/ outside mixed/ro/.
    await putUser(edge.url, edge.admin, 'finn', {});
    await putPermission(edge.url, edge.admin, 'finn-read', { repositories: [UPLOADS], actions: { users: { finn: ['read'] } } });
    await putPermission(edge.url, edge.admin, 'finn-mixed', {
      repositories: [UPLOADS],
      'include-patterns': ['mixed/**', 'elsewhere/**'],
      'exclude-patterns': ['mixed/ro/**'],
      actions: { users: { finn: ['write', 'delete'] } },
    });
    await deploy('mixed/a.txt', 'a');
    await deploy('mixed/ro/keep.txt', 'keep');
    for (const dry of ['&dry=1', '']) {
      const before = await snapshot(edge);
      const res = await call(edge, 'POST', `/artifactory/api/move/${UPLOADS}/mixed?to=/${UPLOADS}/elsewhere${dry}`, { auth: basic('finn', 'finn-password-1') });
      expectError(res, 403, 'FORBIDDEN', /finn is not permitted to delete '.*mixed\/ro/);
      expect(await snapshot(edge)).toEqual(before);
    }
  });
});

describe('EDGE-AUTH-6: delete and recursive properties touch nothing the caller may not read', () => {
  it('EDGE-AUTH-6: deleting the repository root or a folder keeps the excluded files', async () => {
    await expectStatus(call(edge, 'DELETE', `/artifactory/${UPLOADS}/pub`, { auth: dana }), 204);
    expect((await adminGet(`/artifactory/${UPLOADS}/pub/id.key`)).text).toBe(KEY);
    expectError(await adminGet(`/artifactory/${UPLOADS}/pub/p.txt`), 404, 'NOT_FOUND', /p\.txt/);
    await expectStatus(call(edge, 'DELETE', `/artifactory/${UPLOADS}/`, { auth: dana }), 204);
    expect((await adminGet(`/artifactory/${UPLOADS}/secret/s.txt`)).text).toBe(SECRET);
    expect((await adminGet(`/artifactory/${UPLOADS}/pub/id.key`)).text).toBe(KEY);
  });

  it('EDGE-AUTH-6: recursive property writes skip the excluded files', async () => {
    await expectStatus(call(edge, 'PUT', `/artifactory/api/storage/${UPLOADS}/pub?properties=stamp=dana&recursive=1`, { auth: dana }), 204);
    await expectStatus(call(edge, 'DELETE', `/artifactory/api/storage/${UPLOADS}/pub?properties=owner&recursive=1`, { auth: dana }), 204);
    await expectStatus(
      call(edge, 'PATCH', `/artifactory/api/metadata/${UPLOADS}/pub?recursiveProperties=1`, { auth: dana, json: { props: { patched: 'yes' } } }),
      204,
    );
    expect((await adminGet(`/artifactory/api/storage/${UPLOADS}/pub/p.txt?properties`)).json()).toMatchObject({
      properties: { stamp: ['dana'], patched: ['yes'] },
    });
    expect((await adminGet(`/artifactory/api/storage/${UPLOADS}/pub/id.key?properties`)).json()).toEqual({
      properties: { owner: ['admin'] },
      uri: expect.stringContaining('id.key'),
    });
  });
});
