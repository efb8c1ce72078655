import { createHash } from 'node:crypto';
import { checksumsOf } from '../../../protocol/checksums.ts';
import { expectRefusedAsBefore, expectStatus, snapshot } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, scratch } from '../../kit/uploads.ts';

/** EDGE-ART-1: what a client vouches for is what arrives, or nothing is kept. */

const other = (algorithm: string) => createHash(algorithm).update('other').digest('hex');

export const checksumScenarios = [
  scenario({
    id: 'artifacts/checksum-headers-accepted',
    title: 'matching X-Checksum-Sha1/-Sha256/-Md5, and X-Checksum of each length in either case, are accepted',
    requirements: ['EDGE-ART-1'],
    async run(t) {
      const dir = scratch(t, 'checked');
      const body = 'checked';
      const sums = checksumsOf(body);
      const headerSets: Record<string, string>[] = [
        { 'x-checksum-sha1': sums.sha1, 'x-checksum-sha256': sums.sha256, 'x-checksum-md5': sums.md5 },
        { 'x-checksum': sums.sha256 },
        { 'x-checksum': sums.sha1.toUpperCase() },
        { 'x-checksum': sums.md5 },
      ];
      for (const [i, headers] of headerSets.entries()) {
        await combination(t, `deploy with ${JSON.stringify(headers)}`, async () => {
          await expectStatus(t.http('PUT', art(`${dir}/${i}.txt`), { body, headers }), 201);
        });
      }
    },
  }),
  scenario({
    id: 'artifacts/checksum-mismatch-refused',
    title: 'a checksum header that does not match the bytes is refused with 409 CHECKSUM_MISMATCH naming the path, and nothing is stored',
    requirements: ['EDGE-ART-1'],
    async run(t) {
      const path = `${scratch(t, 'mismatch')}/mismatch.bin`;
      const before = await snapshot(t);
      for (const headers of <Record<string, string>[]>[
        { 'x-checksum-sha256': other('sha256') },
        { 'x-checksum-sha1': other('sha1') },
        { 'x-checksum-md5': other('md5') },
        { 'x-checksum': other('sha256') },
      ]) {
        await combination(t, `deploy with ${JSON.stringify(headers)}`, async () => {
          const res = await t.http('PUT', art(path), { body: 'the real bytes', headers });
          await expectRefusedAsBefore(t, before, res, 409, { code: 'CHECKSUM_MISMATCH', message: expect.stringContaining('mismatch.bin') });
        });
      }
    },
  }),
  scenario({
    id: 'artifacts/malformed-checksum-header-refused',
    title: 'a checksum header that is no digest of its kind is refused with 400 BAD_REQUEST before anything is stored',
    requirements: ['EDGE-ART-6', 'EDGE-ART-1'],
    async run(t) {
      const path = `${scratch(t, 'bad-header')}/bad-header.bin`;
      const before = await snapshot(t);
      for (const headers of <Record<string, string>[]>[
        { 'x-checksum-sha256': 'abc' },
        { 'x-checksum': 'z'.repeat(40) },
        { 'x-checksum-sha1': '0'.repeat(64) },
      ]) {
        await combination(t, `deploy with ${JSON.stringify(headers)}`, async () => {
          await expectRefusedAsBefore(t, before, await t.http('PUT', art(path), { body: 'bytes', headers }), 400, { code: 'BAD_REQUEST' });
        });
      }
    },
  }),
];
