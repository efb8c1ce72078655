import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumsOf } from '../protocol/checksums.ts';
import { filestoreFiles, raw, snapshot, startEdge, type RunningEdge } from './edge-harness.ts';

const UP = '/artifactory/artifactory-edge-uploads';

describe('artifacts in the uploads repository', () => {
  let edge: RunningEdge;
  let auth: Record<string, string>;
  const put = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    raw(edge.url, 'PUT', `${UP}/${path}`, { headers: { ...auth, ...headers }, body });
  const get = (path: string, headers: Record<string, string> = {}) => raw(edge.url, 'GET', `${UP}/${path}`, { headers: { ...auth, ...headers } });

  beforeAll(async () => {
    edge = await startEdge();
    auth = { authorization: edge.admin };
  });
  afterAll(() => edge.close());

  describe('deploy', () => {
    it('EDGE-ART-2: answers 201 with the ItemCreated body: size as a string, all three checksums of the streamed bytes', async () => {
      const body = 'hello edge\n';
      const res = await put('docs/readme.txt', body);
      expect(res.status).toBe(201);
      const sums = checksumsOf(body);
      expect(res.json()).toMatchObject({
        repo: 'artifactory-edge-uploads',
        path: '/docs/readme.txt',
        size: String(Buffer.byteLength(body)),
        mimeType: 'text/plain',
        createdBy: 'admin',
        checksums: sums,
        originalChecksums: sums,
        downloadUri: `${edge.art}/artifactory-edge-uploads/docs/readme.txt`,
      });
    });

    it('EDGE-ART-1: accepts matching X-Checksum-Sha1/-Sha256/-Md5 and X-Checksum of each length', async () => {
      const body = 'checked';
      const sums = checksumsOf(body);
      const headerSets: Record<string, string>[] = [
        { 'x-checksum-sha1': sums.sha1, 'x-checksum-sha256': sums.sha256, 'x-checksum-md5': sums.md5 },
        { 'x-checksum': sums.sha256 },
        { 'x-checksum': sums.sha1.toUpperCase() },
        { 'x-checksum': sums.md5 },
      ];
      for (const [i, headers] of headerSets.entries()) {
        const res = await put(`checked/${i}.txt`, body, headers);
        expect(res.status, JSON.stringify(headers)).toBe(201);
      }
    });

    it('EDGE-ART-1: a checksum mismatch is 409 and stores nothing', async () => {
      const before = await snapshot(edge);
      const wrong = createHash('sha256').update('other').digest('hex');
      for (const headers of <Record<string, string>[]>[
        { 'x-checksum-sha256': wrong },
        { 'x-checksum-sha1': createHash('sha1').update('other').digest('hex') },
        { 'x-checksum-md5': createHash('md5').update('other').digest('hex') },
        { 'x-checksum': wrong },
      ]) {
        const res = await put('mismatch.bin', 'the real bytes', headers);
        expect(res.status).toBe(409);
        expect(res.json()).toMatchObject({ errors: [{ status: 409, code: 'CHECKSUM_MISMATCH' }] });
        expect((res.json() as { errors: { message: string }[] }).errors[0]?.message).toContain('mismatch.bin');
      }
      expect(await snapshot(edge)).toEqual(before);
    });

    it('refuses malformed checksum headers with 400 before storing', async () => {
      const before = await snapshot(edge);
      for (const headers of <Record<string, string>[]>[
        { 'x-checksum-sha256': 'abc' },
        { 'x-checksum': 'z'.repeat(40) },
        { 'x-checksum-sha1': '0'.repeat(64) },
      ]) {
        const res = await put('bad-header.bin', 'bytes', headers);
        expect(res.status).toBe(400);
        expect(res.json()).toMatchObject({ errors: [{ code: 'BAD_REQUEST' }] });
      }
      expect(await snapshot(edge)).toEqual(before);
    });

    it('turns matrix parameters into properties', async () => {
      const res = await raw(edge.url, 'PUT', `${UP}/props/app.jar;status=DEV;rating=5;tag=a;tag=b%20c`, { headers: auth, body: 'jar' });
      expect(res.status).toBe(201);
      const props = await raw(edge.url, 'GET', '/artifactory/api/storage/artifactory-edge-uploads/props/app.jar?properties', { headers: auth });
      expect(props.json()).toMatchObject({ properties: { status: ['DEV'], rating: ['5'], tag: ['a', 'b c'] } });
    });

    it('creates folders from a trailing slash, with parents', async () => {
      const res = await raw(edge.url, 'PUT', `${UP}/empty/nested/`, { headers: auth });
      expect(res.status).toBe(201);
      const info = await raw(edge.url, 'GET', '/artifactory/api/storage/artifactory-edge-uploads/empty', { headers: auth });
      expect(info.json()).toMatchObject({ path: '/empty', children: [{ uri: '/nested', folder: true }] });
    });

    it('refuses a file where a folder is, and a folder below a file', async () => {
      await put('clash/file.txt', 'x');
      expect((await put('clash', 'y')).status).toBe(409);
      expect((await put('clash/file.txt/child.txt', 'z')).status).toBe(409);
      // The refused upload left no unreferenced blob behind.
      const blobs = await filestoreFiles(edge.dataDir);
      expect(blobs.some((b) => b.endsWith(checksumsOf('z').sha256))).toBe(false);
    });

    it('EDGE-ART-3: stores identical content once and reclaims it with its last reference', async () => {
      const body = `dedup-${Date.now()}`;
      const { sha256 } = checksumsOf(body);
      const blobOf = async () => (await filestoreFiles(edge.dataDir)).filter((f) => f.endsWith(sha256));
      await put('dedup/a.bin', body);
      await put('dedup/b.bin', body);
      expect(await blobOf()).toEqual([`${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`]);
      expect((await raw(edge.url, 'DELETE', `${UP}/dedup/a.bin`, { headers: auth })).status).toBe(204);
      expect(await blobOf()).toHaveLength(1);
      expect((await raw(edge.url, 'DELETE', `${UP}/dedup`, { headers: auth })).status).toBe(204);
      expect(await blobOf()).toHaveLength(0);
    });

    it('overwrites a file and reclaims the content it replaced', async () => {
      const first = `first-${Date.now()}`;
      await put('over/file.txt', first);
      await put('over/file.txt', 'second');
      expect((await get('over/file.txt')).text).toBe('second');
      expect((await filestoreFiles(edge.dataDir)).some((f) => f.endsWith(checksumsOf(first).sha256))).toBe(false);
    });

    it('EDGE-ART-4: deploys by checksum when the content is known, 404 otherwise', async () => {
      const body = `by-checksum-${Date.now()}`;
      const sums = checksumsOf(body);
      const unknown = await raw(edge.url, 'PUT', `${UP}/cs/copy.bin`, { headers: { ...auth, 'x-checksum-deploy': 'true', 'x-checksum-sha256': sums.sha256 } });
      expect(unknown.status).toBe(404);
      expect(unknown.json()).toMatchObject({ errors: [{ code: 'CHECKSUM_DEPLOY_UNKNOWN' }] });
      await put('cs/original.bin', body);
      for (const headers of <Record<string, string>[]>[{ 'x-checksum-sha256': sums.sha256 }, { 'x-checksum-sha1': sums.sha1 }, { 'x-checksum': sums.sha256 }]) {
        const res = await raw(edge.url, 'PUT', `${UP}/cs/copy.bin`, { headers: { ...auth, 'x-checksum-deploy': 'true', ...headers } });
        expect(res.status).toBe(201);
        expect(res.json()).toMatchObject({ checksums: sums, size: String(body.length) });
      }
      expect((await get('cs/copy.bin')).text).toBe(body);
    });
  });

  describe('EDGE-ART-5: download', () => {
    const body = Buffer.from('0123456789abcdefghij');
    const sums = checksumsOf(body);
    beforeAll(async () => {
      await put('dl/data.bin', body);
    });

    it('sends the bytes with Artifactory headers', async () => {
      const res = await get('dl/data.bin');
      expect(res.status).toBe(200);
      expect(res.body.equals(body)).toBe(true);
      expect(res.headers).toMatchObject({
        etag: sums.sha1,
        'x-checksum-sha1': sums.sha1,
        'x-checksum-sha256': sums.sha256,
        'x-checksum-md5': sums.md5,
        'accept-ranges': 'bytes',
        'content-length': String(body.length),
        'content-type': 'application/octet-stream',
        'x-artifactory-filename': 'data.bin',
        'content-disposition': `attachment; filename="data.bin"; filename*=UTF-8''data.bin`,
      });
      expect(Date.parse(String(res.headers['last-modified']))).not.toBeNaN();
    });

    it('HEAD sends the headers without a body', async () => {
      const res = await raw(edge.url, 'HEAD', `${UP}/dl/data.bin`, { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers['content-length']).toBe(String(body.length));
      expect(res.headers['x-checksum-sha256']).toBe(sums.sha256);
      expect(res.body.length).toBe(0);
    });

    it('serves single ranges with 206 and refuses unsatisfiable ones with 416', async () => {
      const cases: [string, string, string][] = [
        ['bytes=0-3', '0123', 'bytes 0-3/20'],
        ['bytes=10-', 'abcdefghij', 'bytes 10-19/20'],
        ['bytes=-5', 'fghij', 'bytes 15-19/20'],
        ['bytes=18-100', 'ij', 'bytes 18-19/20'],
      ];
      for (const [range, expected, contentRange] of cases) {
        const res = await get('dl/data.bin', { range });
        expect(res.status, range).toBe(206);
        expect(res.text).toBe(expected);
        expect(res.headers['content-range']).toBe(contentRange);
      }
      const bad = await get('dl/data.bin', { range: 'bytes=20-30' });
      expect(bad.status).toBe(416);
      expect(bad.headers['content-range']).toBe('bytes */20');
      expect(bad.json()).toMatchObject({ errors: [{ code: 'BAD_RANGE' }] });
    });

    it('answers 304 to a matching If-None-Match or a later If-Modified-Since', async () => {
      expect((await get('dl/data.bin', { 'if-none-match': sums.sha1 })).status).toBe(304);
      expect((await get('dl/data.bin', { 'if-none-match': `"${sums.sha1}"` })).status).toBe(304);
      expect((await get('dl/data.bin', { 'if-none-match': '"other"' })).status).toBe(200);
      const lastModified = String((await get('dl/data.bin')).headers['last-modified']);
      expect((await get('dl/data.bin', { 'if-modified-since': lastModified })).status).toBe(304);
      expect((await get('dl/data.bin', { 'if-modified-since': new Date(Date.parse(lastModified) - 60_000).toUTCString() })).status).toBe(200);
    });

    it('serves <file>.sha256, .sha1 and .md5', async () => {
      expect((await get('dl/data.bin.sha256')).text).toBe(sums.sha256);
      expect((await get('dl/data.bin.sha1')).text).toBe(sums.sha1);
      expect((await get('dl/data.bin.md5')).text).toBe(sums.md5);
      expect((await get('dl/missing.bin.sha256')).status).toBe(404);
    });

    it('lists a folder on GET', async () => {
      const res = await get('dl/');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('href="data.bin"');
    });

    it("answers 404 in Artifactory's error body for absent files and repositories", async () => {
      const res = await get('dl/absent.bin');
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ errors: [{ status: 404, code: 'NOT_FOUND' }] });
      expect((await raw(edge.url, 'GET', '/artifactory/no-such-repo/x', { headers: auth })).status).toBe(404);
    });

    it('sets the content type from the file name', async () => {
      await put('types/page.json', '{}');
      expect((await get('types/page.json')).headers['content-type']).toBe('application/json');
    });
  });

  describe('delete', () => {
    it('deletes files and folders, 404 for absent ones', async () => {
      await put('del/a/1.txt', '1');
      await put('del/a/2.txt', '2');
      expect((await raw(edge.url, 'DELETE', `${UP}/del/a/1.txt`, { headers: auth })).status).toBe(204);
      expect((await get('del/a/1.txt')).status).toBe(404);
      expect((await raw(edge.url, 'DELETE', `${UP}/del`, { headers: auth })).status).toBe(204);
      expect((await get('del/a/2.txt')).status).toBe(404);
      expect((await raw(edge.url, 'DELETE', `${UP}/del`, { headers: auth })).status).toBe(404);
    });

    it('treats a JSON content type on a request without a body as no body', async () => {
      await put('del/json-labelled.txt', 'x');
      const res = await raw(edge.url, 'DELETE', `${UP}/del/json-labelled.txt`, { headers: { ...auth, 'content-type': 'application/json' } });
      expect(res.status).toBe(204);
    });
  });
});
