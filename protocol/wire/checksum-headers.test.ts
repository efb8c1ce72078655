import { describe, expect, it } from 'vitest';
import { checksumsOf } from '../checksums.ts';
import { checksumDeployKey, checksumFileTarget, checksumMismatch, checksumRequestHeaders, expectedChecksums } from './checksum-headers.ts';

const SUMS = checksumsOf('content');

describe('checksum headers (jfrog-compat.md §1.1, §1.2)', () => {
  it('EDGE-ART-1: reads the named headers and X-Checksum typed by its length, case-insensitively', () => {
    expect(expectedChecksums({ 'x-checksum-sha1': SUMS.sha1.toUpperCase(), 'x-checksum': SUMS.sha256 })).toEqual({ sha1: SUMS.sha1, sha256: SUMS.sha256 });
    expect(expectedChecksums({ 'x-checksum': ` ${SUMS.md5} ` })).toEqual({ md5: SUMS.md5 });
    expect(expectedChecksums(checksumRequestHeaders(SUMS))).toEqual(SUMS);
  });

  it('EDGE-ART-1: refuses malformed, repeated or contradicting headers with 400 BAD_REQUEST', () => {
    const refusals: [Record<string, string | string[]>, string][] = [
      [{ 'x-checksum-sha256': SUMS.sha1 }, 'Header x-checksum-sha256 is not a sha256 hex digest.'],
      [{ 'x-checksum': 'abc' }, 'Header x-checksum must be an MD5, SHA-1 or SHA-256 hex digest.'],
      [{ 'x-checksum-md5': [SUMS.md5, SUMS.md5] }, 'Header x-checksum-md5 was sent more than once.'],
      [{ 'x-checksum-sha256': SUMS.sha256, 'x-checksum': checksumsOf('other').sha256 }, 'Headers disagree about the sha256 checksum.'],
    ];
    for (const [headers, message] of refusals) {
      expect(() => expectedChecksums(headers)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', status: 400, message }));
    }
  });

  it('EDGE-ART-1: names the strongest checksum that differs, with both values', () => {
    const other = checksumsOf('other');
    expect(checksumMismatch('libs/a', { md5: SUMS.md5, sha1: other.sha1 }, SUMS)).toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      message: `Checksum error for 'libs/a': received sha1 '${other.sha1}' but actually was '${SUMS.sha1}'.`,
    });
    expect(checksumMismatch('libs/a', { md5: SUMS.md5 }, SUMS)).toBeUndefined();
  });

  it('EDGE-ART-4: deploys by the strongest checksum given, and needs one', () => {
    expect(checksumDeployKey({ md5: SUMS.md5, sha1: SUMS.sha1 })).toEqual({ algorithm: 'sha1', hex: SUMS.sha1 });
    expect(() => checksumDeployKey({})).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('maps <file>.sha256, .sha1 and .md5 to the file and the checksum they ask for', () => {
    expect(checksumFileTarget('dir/a.tgz.sha256')).toEqual({ path: 'dir/a.tgz', algorithm: 'sha256' });
    expect(checksumFileTarget('dir/a.tgz.md5')).toEqual({ path: 'dir/a.tgz', algorithm: 'md5' });
    expect(checksumFileTarget('dir/a.tgz')).toBeUndefined();
  });
});
