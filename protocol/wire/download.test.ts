import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumsOf } from '../checksums.ts';
import { evaluateDownload, type StoredFile } from './download.ts';

/** Fixed, so a failure replays; fast-check prints it with the counterexample's path. */
const SEED = 1322;

const CONTENT = 'twenty-five bytes of data';
const MODIFIED = Date.UTC(2026, 0, 15, 10, 0, 0, 250);
/** What Last-Modified says: HTTP dates have whole seconds. */
const LAST_MODIFIED = new Date(Math.floor(MODIFIED / 1000) * 1000).toUTCString();
const FILE: StoredFile = {
  path: 'dir/data.bin',
  size: CONTENT.length,
  checksums: checksumsOf(CONTENT),
  mimeType: 'application/octet-stream',
  modified: MODIFIED,
};
const ETAG = FILE.checksums.sha1;
const OTHER_ETAG = checksumsOf('other content').sha1;
const at = (deltaMs: number): string => new Date(Math.floor(MODIFIED / 1000) * 1000 + deltaMs).toUTCString();

const noneMatch = fc.constantFrom(ETAG, `"${ETAG}"`, `W/"${ETAG}"`, `"${OTHER_ETAG}", "${ETAG}"`, '*', `"${OTHER_ETAG}"`, OTHER_ETAG);
const modifiedSince = fc.constantFrom(at(0), at(1000), at(-1000), at(86_400_000), 'not a date');
const range = fc.constantFrom('bytes=0-4', 'bytes=7-', 'bytes=-3', 'bytes=100-', 'bytes=0-1,5-6', 'items=0-1');
const currentIfRange = fc.constantFrom(ETAG, `"${ETAG}"`, LAST_MODIFIED);
const staleIfRange = fc.constantFrom(`"${OTHER_ETAG}"`, OTHER_ETAG, at(-1000), at(1000), 'not a date');
const headers = fc.record(
  { 'if-none-match': noneMatch, 'if-modified-since': modifiedSince, range, 'if-range': fc.oneof(currentIfRange, staleIfRange) },
  { requiredKeys: [] },
);

const without = (record: Record<string, string>, name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => key !== name));

describe(`evaluateDownload: conditional precedence (RFC 9110 §13.2.2; seed ${SEED})`, () => {
  it('EDGE-ART-5: If-Modified-Since is ignored whenever If-None-Match is present (step 3 before 4)', () => {
    fc.assert(
      fc.property(headers, noneMatch, modifiedSince, (h, inm, ims) => {
        expect(evaluateDownload({ ...h, 'if-none-match': inm, 'if-modified-since': ims }, FILE)).toEqual(
          evaluateDownload(without({ ...h, 'if-none-match': inm }, 'if-modified-since'), FILE),
        );
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('EDGE-ART-5: a 304 comes before any range (steps 3-4 before 5)', () => {
    fc.assert(
      fc.property(headers, (h) => {
        const bare = evaluateDownload(without(without(h, 'range'), 'if-range'), FILE);
        if (bare.status === 304) expect(evaluateDownload(h, FILE).status).toBe(304);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('EDGE-ART-5: If-Range means nothing without Range, and a current validator leaves the Range as it is', () => {
    fc.assert(
      fc.property(headers, currentIfRange, (h, ifRange) => {
        expect(evaluateDownload({ ...without(h, 'range'), 'if-range': ifRange }, FILE)).toEqual(
          evaluateDownload(without(without(h, 'range'), 'if-range'), FILE),
        );
        expect(evaluateDownload({ ...h, 'if-range': ifRange }, FILE)).toEqual(evaluateDownload(without(h, 'if-range'), FILE));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('EDGE-ART-5: a stale If-Range turns any Range into the whole file (step 5, §13.1.5)', () => {
    fc.assert(
      fc.property(headers, range, staleIfRange, (h, r, ifRange) => {
        const ranged = evaluateDownload({ ...h, range: r, 'if-range': ifRange }, FILE);
        const plain = evaluateDownload(without(without(h, 'range'), 'if-range'), FILE);
        expect(ranged).toEqual(plain);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('evaluateDownload: answers (jfrog-compat.md §1.3)', () => {
  const base = {
    etag: ETAG,
    'last-modified': LAST_MODIFIED,
    'x-checksum-sha1': FILE.checksums.sha1,
    'x-checksum-sha256': FILE.checksums.sha256,
    'x-checksum-md5': FILE.checksums.md5,
    'accept-ranges': 'bytes',
    'x-artifactory-filename': 'data.bin',
    'content-disposition': `attachment; filename="data.bin"; filename*=UTF-8''data.bin`,
    'content-type': 'application/octet-stream',
  };

  it('EDGE-ART-5: 200 with the whole length, 206 with Content-Range, 304 without a length, 416 with the size', () => {
    expect(evaluateDownload({}, FILE)).toEqual({ status: 200, headers: { ...base, 'content-length': '25' } });
    expect(evaluateDownload({ range: 'bytes=7-12' }, FILE)).toEqual({
      status: 206,
      headers: { ...base, 'content-range': 'bytes 7-12/25', 'content-length': '6' },
      range: { start: 7, end: 12 },
    });
    expect(evaluateDownload({ 'if-none-match': `"${ETAG}"` }, FILE)).toEqual({ status: 304, headers: base });
    const refused = evaluateDownload({ range: 'bytes=25-' }, FILE);
    expect(refused).toMatchObject({ status: 416, headers: { 'content-range': 'bytes */25', 'content-type': 'application/json' } });
    expect(refused.status === 416 && refused.error.toBody()).toEqual({
      errors: [{ status: 416, code: 'BAD_RANGE', message: 'The range bytes=25- cannot be satisfied for 25 bytes.' }],
    });
  });

  it('names a file with non-ASCII or quoting characters safely in Content-Disposition', () => {
    const named = evaluateDownload({}, { ...FILE, path: 'dir/résumé "final".txt' });
    expect(named.headers['content-disposition']).toBe(`attachment; filename="r_sum_ _final_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt`);
    expect(named.headers['x-artifactory-filename']).toBe('r%C3%A9sum%C3%A9%20%22final%22.txt');
  });
});
