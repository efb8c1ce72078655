import { expectError, expectStatus, snapshot, withoutRequestId } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import type { TestUser } from '../../kit/world.ts';
import { excludedWorld, HIDDEN, SECRET } from './excluded-world.ts';

/** EDGE-ART-4 (hole 2): deploy by checksum needs a copy the caller can read where it is stored. */

const byChecksum = (t: ScenarioContext, dana: TestUser, path: string, sha256: string) =>
  t.http('PUT', `/artifactory/${path}`, { auth: dana.auth, headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': sha256 } });

export const checksumDeployScenarios = [
  ...HIDDEN.map((hidden) =>
    scenario({
      id: `path-permissions/checksum-deploy-of-excluded-${hidden.name.replace('.', '-')}`,
      title: `deploy by the checksum of excluded ${hidden.name} answers exactly as for an unknown checksum, and deploys nothing`,
      requirements: ['EDGE-ART-4', 'EDGE-AUTH-5'],
      async run(t) {
        const { base, dana } = await excludedWorld(t);
        const before = await snapshot(t);
        const res = await byChecksum(t, dana, `${base}/pub/leak.txt`, hidden.sha256);
        const unknownSha = 'f'.repeat(64);
        const unknown = await byChecksum(t, dana, `${base}/pub/leak.txt`, unknownSha);
        expectError(res, 404, 'CHECKSUM_DEPLOY_UNKNOWN', /Upload the content/);
        expect(withoutRequestId(res).replace(hidden.sha256, unknownSha)).toBe(withoutRequestId(unknown));
        expect(await snapshot(t)).toEqual(before);
        expectError(await t.http('GET', `/artifactory/${base}/pub/leak.txt`, { auth: dana.auth }), 404, 'NOT_FOUND', /leak/);
      },
    }),
  ),
  scenario({
    id: 'path-permissions/checksum-deploy-from-a-readable-copy',
    title: 'deploy by checksum uses a readable copy of the content even when an unreadable one exists too (control)',
    requirements: ['EDGE-ART-4'],
    async run(t) {
      const { folder, base, dana } = await excludedWorld(t);
      await t.clients().artifactory.deploy(`${base}/pub/also-secret.txt`, SECRET);
      const res = await expectStatus(byChecksum(t, dana, `${base}/pub/copied.txt`, HIDDEN[0]?.sha256 as string), 201);
      expect(res.json()).toMatchObject({ path: `/${folder}/pub/copied.txt` });
      expect((await t.http('GET', `/artifactory/${base}/pub/copied.txt`, { auth: dana.auth })).text).toBe(SECRET);
    },
  }),
];
