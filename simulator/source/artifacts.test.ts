import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { checksumsOf } from '../../protocol/checksums.ts';
import { DEFAULT_SOURCE_SERVICE_ID } from './source.ts';
import { ADMIN_AUTH, errorOf, T0, testSource, type TestSource } from './__fixtures__/test-source.ts';

const CONTENT = 'hello, source artifactory';
const SUMS = checksumsOf(CONTENT);

describe('source: system and repositories', () => {
  it('answers ping, version and service id without credentials (jfrog-compat.md §1.8, §0.5)', async () => {
    const { call } = testSource();
    const ping = await call('GET', '/artifactory/api/system/ping', { auth: null });
    expect([ping.status, await ping.text()]).toEqual([200, 'OK']);
    const version = await call('GET', '/artifactory/api/system/version', { auth: null });
    expect(version.headers.get('content-type')).toBe('application/vnd.org.jfrog.artifactory.system.Version+json');
    expect(((await version.json()) as { version: string }).version).toMatch(/^7\./);
    const id = await call('GET', '/artifactory/api/system/service_id', { auth: null });
    expect(await id.text()).toBe(DEFAULT_SOURCE_SERVICE_ID);
    expect(await (await testSource({ serviceId: 'jfrt@01other' }).call('GET', '/artifactory/api/system/service_id')).text()).toBe('jfrt@01other');
  });

  it('creates local repositories, refuses duplicates and other classes, lists them', async () => {
    const { call } = testSource();
    const created = await call('PUT', '/artifactory/api/repositories/libs-local', { body: '{"rclass":"local","description":"libs"}' });
    expect([created.status, await created.text()]).toEqual([200, "Successfully created repository 'libs-local'"]);
    // Missing values take defaults: an empty body is a local generic repository.
    expect((await call('PUT', '/artifactory/api/repositories/other')).status).toBe(200);
    expect(await errorOf(await call('PUT', '/artifactory/api/repositories/libs-local'))).toMatchObject({ status: 400, code: 'REPO_EXISTS' });
    expect(await errorOf(await call('PUT', '/artifactory/api/repositories/r', { body: '{"rclass":"remote"}' }))).toMatchObject({
      status: 400,
      code: 'REPO_CLASS_UNSUPPORTED',
    });
    expect(await errorOf(await call('PUT', '/artifactory/api/repositories/r', { body: '{"key":"s"}' }))).toMatchObject({ status: 400, code: 'INVALID_BODY' });
    expect(await errorOf(await call('PUT', '/artifactory/api/repositories/r', { body: '{nope' }))).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(await errorOf(await call('PUT', '/artifactory/api/repositories/bad%20key'))).toMatchObject({ status: 400, code: 'BAD_REPO_KEY' });

    const list = await call('GET', '/artifactory/api/repositories');
    expect(list.headers.get('content-type')).toBe('application/vnd.org.jfrog.artifactory.repositories.RepositoryDetailsList+json');
    expect(await list.json()).toEqual([
      { key: 'libs-local', type: 'LOCAL', description: 'libs', url: 'http://localhost/artifactory/libs-local', packageType: 'Generic' },
      { key: 'other', type: 'LOCAL', description: '', url: 'http://localhost/artifactory/other', packageType: 'Generic' },
    ]);
    expect(await (await call('GET', '/artifactory/api/repositories?type=remote')).json()).toEqual([]);
    expect(await (await call('GET', '/artifactory/api/repositories/libs-local')).json()).toMatchObject({
      key: 'libs-local',
      rclass: 'local',
      packageType: 'generic',
    });
    expect((await call('GET', '/artifactory/api/repositories/none')).status).toBe(404);
  });
});

describe('source: authentication', () => {
  it('requires the admin for writes and for reads unless anonymous reads are on', async () => {
    const src = testSource();
    await src.repo('libs');
    const anonymousWrite = await src.call('PUT', '/artifactory/libs/a.txt', { body: 'x', auth: null });
    expect(anonymousWrite.status).toBe(401);
    expect(anonymousWrite.headers.get('www-authenticate')).toBe('Basic realm="Artifactory Realm"');
    const wrong = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    expect(await errorOf(await src.call('PUT', '/artifactory/libs/a.txt', { body: 'x', auth: wrong }))).toEqual({
      status: 401,
      message: 'Bad credentials',
      code: 'BAD_CREDENTIALS',
    });
    expect((await src.call('GET', '/artifactory/api/repositories', { auth: null })).status).toBe(401);
    expect((await src.call('GET', '/artifactory/api/repositories', { auth: 'Bearer abc' })).status).toBe(401);

    const open = testSource({ anonymousReads: true });
    await open.repo('libs');
    await open.deploy('libs/a.txt', 'x');
    expect((await open.call('GET', '/artifactory/libs/a.txt', { auth: null })).status).toBe(200);
    expect((await open.call('POST', '/artifactory/api/search/aql', { body: 'items.find()', auth: null })).status).toBe(200);
    // Reads stay open, writes and admin reads do not, and a wrong password is still wrong.
    expect((await open.call('PUT', '/artifactory/libs/b.txt', { body: 'x', auth: null })).status).toBe(401);
    expect((await open.call('GET', '/artifactory/api/repositories/libs', { auth: null })).status).toBe(401);
    expect((await open.call('GET', '/artifactory/libs/a.txt', { auth: wrong })).status).toBe(401);
  });
});

describe('source: deploy (jfrog-compat.md §1.1, §1.2)', () => {
  let src: TestSource;
  beforeEach(async () => {
    src = testSource();
    await src.repo('libs');
  });

  it('answers 201 ItemCreated with size as a string, and turns matrix params into properties', async () => {
    const res = await src.call('PUT', '/artifactory/libs/org/acme/app.txt;status=DEV;rating=5;rating=6', { body: CONTENT });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/vnd.org.jfrog.artifactory.storage.ItemCreated+json');
    expect(await res.json()).toEqual({
      repo: 'libs',
      path: '/org/acme/app.txt',
      created: new Date(T0).toISOString(),
      createdBy: 'admin',
      downloadUri: 'http://localhost/artifactory/libs/org/acme/app.txt',
      uri: 'http://localhost/artifactory/libs/org/acme/app.txt',
      mimeType: 'text/plain',
      size: String(CONTENT.length),
      checksums: SUMS,
      originalChecksums: SUMS,
    });
    expect(src.source.state.item('libs', 'org/acme/app.txt')?.properties).toEqual({ status: ['DEV'], rating: ['5', '6'] });
    // Parent folders exist now.
    expect(src.source.state.item('libs', 'org/acme')?.kind).toBe('folder');
  });

  it.each([
    ['x-checksum-sha1', SUMS.sha1],
    ['x-checksum-sha256', SUMS.sha256],
    ['x-checksum-md5', SUMS.md5],
    ['x-checksum', SUMS.sha256],
    ['x-checksum', SUMS.sha1],
    ['x-checksum', SUMS.md5],
  ])('accepts a matching %s and refuses a wrong one with 409', async (header, value) => {
    expect((await src.call('PUT', '/artifactory/libs/ok.txt', { body: CONTENT, headers: { [header]: value.toUpperCase() } })).status).toBe(201);
    const wrong = createHash(value.length === 32 ? 'md5' : value.length === 40 ? 'sha1' : 'sha256')
      .update('other')
      .digest('hex');
    const refused = await src.call('PUT', '/artifactory/libs/bad.txt', { body: CONTENT, headers: { [header]: wrong } });
    expect(await errorOf(refused)).toMatchObject({ status: 409, code: 'CHECKSUM_MISMATCH' });
    expect(src.source.state.item('libs', 'bad.txt')).toBeUndefined();
  });

  it('refuses malformed or contradicting checksum headers with 400', async () => {
    const bad: Record<string, string>[] = [
      { 'x-checksum-sha1': 'zz' },
      { 'x-checksum': 'abc' },
      { 'x-checksum-sha256': SUMS.sha256, 'x-checksum': checksumsOf('other').sha256 },
    ];
    for (const headers of bad) {
      expect(await errorOf(await src.call('PUT', '/artifactory/libs/x.txt', { body: CONTENT, headers }))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    }
  });

  it('deploys by checksum when content with that checksum is stored, else 404 (upload expected)', async () => {
    await src.deploy('libs/first.txt', CONTENT);
    const claim = await src.call('PUT', '/artifactory/libs/copy.txt;k=v', { headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': SUMS.sha256 } });
    expect(claim.status).toBe(201);
    expect(((await claim.json()) as { size: string }).size).toBe(String(CONTENT.length));
    expect(src.source.state.item('libs', 'copy.txt')).toMatchObject({ kind: 'file', checksums: SUMS, properties: { k: ['v'] } });

    const unknown = await src.call('PUT', '/artifactory/libs/none.txt', {
      headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha1': checksumsOf('nothing').sha1 },
    });
    expect(await errorOf(unknown)).toMatchObject({ status: 404, code: 'CHECKSUM_DEPLOY_UNKNOWN' });
    const noHeader = await src.call('PUT', '/artifactory/libs/none.txt', { headers: { 'x-checksum-deploy': 'true' } });
    expect(await errorOf(noHeader)).toMatchObject({ status: 400 });
    // X-Checksum-Deploy: false is an ordinary upload.
    expect((await src.call('PUT', '/artifactory/libs/plain.txt', { body: 'abc', headers: { 'x-checksum-deploy': 'false' } })).status).toBe(201);
  });

  it('creates folders with a trailing slash and refuses file/folder clashes', async () => {
    const folder = await src.call('PUT', '/artifactory/libs/dir/sub/');
    expect(folder.status).toBe(201);
    expect(await folder.json()).toMatchObject({ repo: 'libs', path: '/dir/sub' });
    expect(await errorOf(await src.call('PUT', '/artifactory/libs/dir', { body: 'x' }))).toMatchObject({ status: 409, code: 'ITEM_TYPE_CONFLICT' });
    await src.deploy('libs/file.txt', 'x');
    expect(await errorOf(await src.call('PUT', '/artifactory/libs/file.txt/inner.txt', { body: 'x' }))).toMatchObject({
      status: 409,
      code: 'ITEM_TYPE_CONFLICT',
    });
  });

  it('overwrites a file, keeping its creation time', async () => {
    await src.deploy('libs/a.txt', 'one');
    src.clock.now = T0 + 60_000;
    await src.deploy('libs/a.txt', 'two');
    const item = src.source.state.item('libs', 'a.txt');
    expect(item).toMatchObject({ created: T0, modified: T0 + 60_000, size: 3 });
  });

  it('refuses unknown repositories, bad paths and the repository root with Artifactory errors', async () => {
    expect(await errorOf(await src.call('PUT', '/artifactory/nope/a.txt', { body: 'x' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await errorOf(await src.call('PUT', '/artifactory/libs/a%2F..%2Fb', { body: 'x' }))).toMatchObject({ status: 400, code: 'BAD_PATH' });
    expect(await errorOf(await src.call('PUT', '/artifactory/libs', { body: 'x' }))).toMatchObject({ status: 400, code: 'BAD_PATH' });
    expect(await errorOf(await src.call('PUT', '/artifactory/libs/a.txt;bad key=1', { body: 'x' }))).toMatchObject({ status: 400 });
    expect(await errorOf(await src.call('PUT', '/artifactory/api/whatever', { body: 'x' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('source: downloads, the upstream read side (jfrog-compat.md §1.3)', () => {
  let src: TestSource;
  beforeEach(async () => {
    src = testSource();
    await src.repo('libs');
    await src.deploy('libs/dir/data.bin', CONTENT);
  });

  it('serves a file with ETag = SHA-1, checksum headers, Last-Modified, Content-Length and Accept-Ranges', async () => {
    const res = await src.call('GET', '/artifactory/libs/dir/data.bin');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(CONTENT);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      etag: SUMS.sha1,
      'x-checksum-sha1': SUMS.sha1,
      'x-checksum-sha256': SUMS.sha256,
      'x-checksum-md5': SUMS.md5,
      'last-modified': new Date(T0).toUTCString(),
      'content-length': String(CONTENT.length),
      'accept-ranges': 'bytes',
      'x-artifactory-filename': 'data.bin',
      'content-type': 'application/octet-stream',
    });
    const head = await src.call('HEAD', '/artifactory/libs/dir/data.bin');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(CONTENT.length));
    expect(head.headers.get('x-checksum-sha256')).toBe(SUMS.sha256);
    expect(await head.text()).toBe('');
  });

  it('answers a single range with 206, an unsatisfiable one with 416, several with the whole file', async () => {
    const part = await src.call('GET', '/artifactory/libs/dir/data.bin', { headers: { range: 'bytes=7-12' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 7-12/${CONTENT.length}`);
    expect(part.headers.get('content-length')).toBe('6');
    expect(await part.text()).toBe(CONTENT.slice(7, 13));
    const suffix = await src.call('GET', '/artifactory/libs/dir/data.bin', { headers: { range: 'bytes=-3' } });
    expect(await suffix.text()).toBe(CONTENT.slice(-3));
    const unsatisfiable = await src.call('GET', '/artifactory/libs/dir/data.bin', { headers: { range: 'bytes=500-' } });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe(`bytes */${CONTENT.length}`);
    expect((await errorOf(unsatisfiable)).code).toBe('BAD_RANGE');
    const multi = await src.call('GET', '/artifactory/libs/dir/data.bin', { headers: { range: 'bytes=0-1,5-6' } });
    expect([multi.status, await multi.text()]).toEqual([200, CONTENT]);
  });

  it('honours If-Range as the Edge does (EDGE-ART-5, RFC 9110 §13.1.5): a stale validator gets the whole file', async () => {
    const ranged = (ifRange: string) => src.call('GET', '/artifactory/libs/dir/data.bin', { headers: { range: 'bytes=7-12', 'if-range': ifRange } });
    const current = [SUMS.sha1, `"${SUMS.sha1}"`, new Date(T0).toUTCString()];
    for (const validator of current) expect((await ranged(validator)).status, validator).toBe(206);
    const stale = ['"0000000000000000000000000000000000000000"', new Date(T0 - 1000).toUTCString(), new Date(T0 + 1000).toUTCString()];
    for (const validator of stale) {
      const whole = await ranged(validator);
      expect([whole.status, whole.headers.get('content-range'), await whole.text()], validator).toEqual([200, null, CONTENT]);
    }
  });

  it('answers conditional requests with 304', async () => {
    expect((await src.call('GET', '/artifactory/libs/dir/data.bin', { headers: { 'if-none-match': `"${SUMS.sha1}"` } })).status).toBe(304);
    expect((await src.call('GET', '/artifactory/libs/dir/data.bin', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect((await src.call('GET', '/artifactory/libs/dir/data.bin', { headers: { 'if-modified-since': new Date(T0 + 1000).toUTCString() } })).status).toBe(304);
  });

  it('lists a folder, serves <file>.sha256 style checksums, and answers 404 with Artifactory body', async () => {
    const listing = await src.call('GET', '/artifactory/libs/');
    expect(listing.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await listing.text()).toContain('<a href="dir/">dir/</a>');
    expect(await (await src.call('GET', '/artifactory/libs/dir')).text()).toContain('<a href="data.bin">data.bin</a>');
    expect(await (await src.call('GET', '/artifactory/libs/dir/data.bin.sha256')).text()).toBe(SUMS.sha256);
    expect(await (await src.call('GET', '/artifactory/libs/dir/data.bin.md5')).text()).toBe(SUMS.md5);
    expect(await errorOf(await src.call('GET', '/artifactory/libs/dir/none.bin'))).toEqual({ status: 404, message: 'File not found.', code: 'NOT_FOUND' });
    expect((await src.call('GET', '/artifactory/nope/x')).status).toBe(404);
  });
});

describe('source: delete (jfrog-compat.md §1.5)', () => {
  it('deletes files and folders recursively with 204, 404 for what is not there', async () => {
    const src = testSource();
    await src.repo('libs');
    await src.deploy('libs/a/b/c.txt', 'x');
    await src.deploy('libs/a/d.txt', 'y');
    expect((await src.call('DELETE', '/artifactory/libs/a/d.txt')).status).toBe(204);
    expect((await src.call('GET', '/artifactory/libs/a/d.txt')).status).toBe(404);
    expect((await src.call('DELETE', '/artifactory/libs/a')).status).toBe(204);
    expect([...src.source.state.allItems()]).toEqual([]);
    expect(await errorOf(await src.call('DELETE', '/artifactory/libs/a'))).toMatchObject({ status: 404 });
    expect(await errorOf(await src.call('DELETE', '/artifactory/libs/'))).toMatchObject({ status: 400, code: 'BAD_PATH' });
    expect((await src.call('DELETE', '/artifactory/libs/x', { auth: null })).status).toBe(401);
  });
});

describe('source: request bodies never cause a 500', () => {
  it('answers every malformed JSON body with a 4xx Artifactory error', async () => {
    const src = testSource();
    for (const path of ['/artifactory/api/release/bundles/store', '/artifactory/api/edp/push']) {
      for (const body of ['', 'null', '[]', '{"name":1}', '{', '"text"']) {
        const res = await src.call('POST', path, { body, headers: { authorization: ADMIN_AUTH } });
        expect(res.status, `${path} ${body}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path} ${body}`).toBeLessThan(500);
        expect((await errorOf(res)).message.length).toBeGreaterThan(0);
      }
    }
  });
});
