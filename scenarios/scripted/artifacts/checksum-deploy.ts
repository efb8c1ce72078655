import { checksumsOf } from '../../../protocol/checksums.ts';
import { expectStatus } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, scratch } from '../../kit/uploads.ts';

/** EDGE-ART-4: deploy by checksum copies content the Edge holds; unknown content asks for an upload. */

export const checksumDeployScenarios = [
  scenario({
    id: 'artifacts/deploy-by-checksum',
    title: 'X-Checksum-Deploy answers 404 CHECKSUM_DEPLOY_UNKNOWN for unknown content, and 201 with its checksums once the content is stored',
    requirements: ['EDGE-ART-4'],
    async run(t) {
      const dir = scratch(t, 'by-checksum');
      const body = `by-checksum content of ${dir}`;
      const sums = checksumsOf(body);
      const unknown = await t.http('PUT', art(`${dir}/copy.bin`), { headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': sums.sha256 } });
      expect(unknown.status, unknown.text).toBe(404);
      expect(unknown.json()).toMatchObject({ errors: [{ code: 'CHECKSUM_DEPLOY_UNKNOWN' }] });
      await expectStatus(t.http('PUT', art(`${dir}/original.bin`), { body }), 201);
      for (const headers of <Record<string, string>[]>[{ 'x-checksum-sha256': sums.sha256 }, { 'x-checksum-sha1': sums.sha1 }, { 'x-checksum': sums.sha256 }]) {
        await combination(t, `deploy by checksum with ${JSON.stringify(headers)}`, async () => {
          const res = await expectStatus(t.http('PUT', art(`${dir}/copy.bin`), { headers: { 'x-checksum-deploy': 'true', ...headers } }), 201);
          expect(res.json()).toMatchObject({ checksums: sums, size: String(body.length) });
        });
      }
      expect((await expectStatus(t.http('GET', art(`${dir}/copy.bin`)), 200)).text).toBe(body);
    },
  }),
];
