import { checksumsOf } from '../../../protocol/checksums.ts';
import { expectError, expectStatus } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, scratch } from '../../kit/uploads.ts';

/** Downloads: headers, HEAD, ranges and preconditions (EDGE-ART-5, EDGE-ART-7), checksum files and listings (EDGE-ART-8). */

const BODY = Buffer.from('0123456789abcdefghij');
const SUMS = checksumsOf(BODY);

/** Deploys BODY as `data.bin` in a scratch folder; returns its path in the uploads repository. */
async function stored(t: ScenarioContext, base: string): Promise<string> {
  const path = `${scratch(t, base)}/dl/data.bin`;
  await expectStatus(t.http('PUT', art(path), { body: BODY }), 201);
  return path;
}

const get = (t: ScenarioContext, path: string, headers: Record<string, string> = {}) => t.http('GET', art(path), { headers });

export const downloadScenarios = [
  scenario({
    id: 'artifacts/download-headers',
    title: "a download sends the bytes with Artifactory's headers: ETag, X-Checksum-*, Accept-Ranges, Last-Modified, file name",
    requirements: ['EDGE-ART-5', 'EDGE-ART-7'],
    async run(t) {
      const path = await stored(t, 'download');
      const res = await expectStatus(get(t, path), 200);
      expect(res.body.equals(BODY)).toBe(true);
      expect(res.headers).toMatchObject({
        etag: SUMS.sha1,
        'x-checksum-sha1': SUMS.sha1,
        'x-checksum-sha256': SUMS.sha256,
        'x-checksum-md5': SUMS.md5,
        'accept-ranges': 'bytes',
        'content-length': String(BODY.length),
        'content-type': 'application/octet-stream',
        'x-artifactory-filename': 'data.bin',
        'content-disposition': `attachment; filename="data.bin"; filename*=UTF-8''data.bin`,
      });
      expect(Date.parse(String(res.headers['last-modified']))).not.toBeNaN();
    },
  }),
  scenario({
    id: 'artifacts/head-sends-headers-only',
    title: 'HEAD sends the length and checksum headers without a body',
    requirements: ['EDGE-ART-7', 'EDGE-ART-5'],
    async run(t) {
      const path = await stored(t, 'head');
      const res = await expectStatus(t.http('HEAD', art(path)), 200);
      expect(res.headers['content-length']).toBe(String(BODY.length));
      expect(res.headers['x-checksum-sha256']).toBe(SUMS.sha256);
      expect(res.body.length).toBe(0);
    },
  }),
  scenario({
    id: 'artifacts/content-type-from-name',
    title: 'the Content-Type of a download comes from the file name',
    requirements: ['EDGE-ART-7'],
    async run(t) {
      const path = `${scratch(t, 'types')}/page.json`;
      await expectStatus(t.http('PUT', art(path), { body: '{}' }), 201);
      expect((await expectStatus(get(t, path), 200)).headers['content-type']).toBe('application/json');
    },
  }),
  scenario({
    id: 'artifacts/ranges',
    title: 'single satisfiable ranges get 206 with Content-Range, a suffix longer than the file gets all of it, an unsatisfiable one 416 BAD_RANGE',
    requirements: ['EDGE-ART-5'],
    async run(t) {
      const path = await stored(t, 'ranges');
      for (const [range, expected, contentRange] of [
        ['bytes=0-3', '0123', 'bytes 0-3/20'],
        ['bytes=10-', 'abcdefghij', 'bytes 10-19/20'],
        ['bytes=-5', 'fghij', 'bytes 15-19/20'],
        ['bytes=18-100', 'ij', 'bytes 18-19/20'],
        ['bytes=-100', BODY.toString(), 'bytes 0-19/20'],
      ] as const) {
        await combination(t, `Range: ${range}`, async () => {
          const res = await get(t, path, { range });
          expect([res.status, res.headers['content-range'], res.text]).toEqual([206, contentRange, expected]);
        });
      }
      const bad = await get(t, path, { range: 'bytes=20-30' });
      expect(bad.status).toBe(416);
      expect(bad.headers['content-range']).toBe('bytes */20');
      expect(bad.json()).toMatchObject({ errors: [{ code: 'BAD_RANGE' }] });
    },
  }),
  scenario({
    id: 'artifacts/if-range',
    title: 'If-Range naming the current ETag or Last-Modified keeps the range; a stale validator gets the whole file',
    requirements: ['EDGE-ART-5'],
    async run(t) {
      const path = await stored(t, 'if-range');
      const head = await expectStatus(t.http('HEAD', art(path)), 200);
      const etag = String(head.headers.etag);
      const lastModified = String(head.headers['last-modified']);
      for (const current of [etag, `"${etag}"`, lastModified]) {
        await combination(t, `If-Range: ${current}`, async () => {
          const res = await get(t, path, { range: 'bytes=0-5', 'if-range': current });
          expect([res.status, res.text]).toEqual([206, BODY.subarray(0, 6).toString()]);
        });
      }
      const stale = new Date(Date.parse(lastModified) - 1000).toUTCString();
      for (const validator of ['"0000000000000000000000000000000000000000"', stale]) {
        await combination(t, `If-Range: ${validator}`, async () => {
          const res = await get(t, path, { range: 'bytes=0-5', 'if-range': validator });
          expect([res.status, res.headers['content-range'], res.text]).toEqual([200, undefined, BODY.toString()]);
        });
      }
    },
  }),
  scenario({
    id: 'artifacts/conditional-get',
    title: 'a matching If-None-Match or a not-older If-Modified-Since gets 304; If-None-Match decides alone, and a 304 comes before a range',
    requirements: ['EDGE-ART-5'],
    async run(t) {
      const path = await stored(t, 'conditional');
      const lastModified = String((await expectStatus(get(t, path), 200)).headers['last-modified']);
      const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
      for (const [headers, status] of [
        [{ 'if-none-match': SUMS.sha1 }, 304],
        [{ 'if-none-match': `"${SUMS.sha1}"` }, 304],
        [{ 'if-none-match': '"other"' }, 200],
        [{ 'if-modified-since': lastModified }, 304],
        [{ 'if-modified-since': earlier }, 200],
        // RFC 9110 §13.2.2: with If-None-Match, If-Modified-Since is not looked at.
        [{ 'if-none-match': '"other"', 'if-modified-since': lastModified }, 200],
        [{ 'if-none-match': SUMS.sha1, 'if-modified-since': earlier }, 304],
        [{ 'if-none-match': SUMS.sha1, range: 'bytes=0-3' }, 304],
      ] as const) {
        await combination(t, `GET with ${JSON.stringify(headers)}`, async () => {
          const res = await get(t, path, headers);
          expect(res.status, res.text).toBe(status);
          if (status === 304) expect(res.body.length).toBe(0);
        });
      }
    },
  }),
  scenario({
    id: 'artifacts/checksum-files',
    title: '<file>.sha256, .sha1 and .md5 answer the checksums; for an absent file, 404',
    requirements: ['EDGE-ART-8'],
    async run(t) {
      const path = await stored(t, 'checksum-files');
      expect((await expectStatus(get(t, `${path}.sha256`), 200)).text).toBe(SUMS.sha256);
      expect((await expectStatus(get(t, `${path}.sha1`), 200)).text).toBe(SUMS.sha1);
      expect((await expectStatus(get(t, `${path}.md5`), 200)).text).toBe(SUMS.md5);
      await expectStatus(get(t, `${path.replace('data.bin', 'missing.bin')}.sha256`), 404);
    },
  }),
  scenario({
    id: 'artifacts/folder-listing',
    title: 'a GET of a folder answers an HTML listing of its children',
    requirements: ['EDGE-ART-8'],
    async run(t) {
      const path = await stored(t, 'listing');
      const res = await expectStatus(get(t, path.replace(/data\.bin$/, '')), 200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('href="data.bin"');
    },
  }),
  scenario({
    id: 'artifacts/absent-is-404',
    title: "an absent file or repository answers 404 NOT_FOUND in Artifactory's error body",
    requirements: ['EDGE-ART-7'],
    async run(t) {
      const path = await stored(t, 'absent');
      const res = await get(t, path.replace('data.bin', 'absent.bin'));
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ errors: [{ status: 404, code: 'NOT_FOUND' }] });
      expectError(await t.http('GET', `/artifactory/${t.name('no-such-repo')}/x`), 404, 'NOT_FOUND', /./);
    },
  }),
];
