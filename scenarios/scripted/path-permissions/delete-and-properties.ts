import { expectError, expectStatus } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { excludedWorld, KEY, SECRET } from './excluded-world.ts';

/** EDGE-AUTH-6: delete and recursive property changes touch nothing the caller may not read. */

export const deleteAndPropertyScenarios = [
  scenario({
    id: 'path-permissions/delete-keeps-excluded-files',
    title: 'deleting a folder, or the whole repository, removes only what the caller may read and keeps the excluded files',
    requirements: ['EDGE-AUTH-6'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      await expectStatus(t.http('DELETE', `/artifactory/${base}/pub`, { auth: dana.auth }), 204);
      expect((await t.http('GET', `/artifactory/${base}/pub/id.key`)).text).toBe(KEY);
      expectError(await t.http('GET', `/artifactory/${base}/pub/p.txt`), 404, 'NOT_FOUND', /p\.txt/);
      // The repository root: on a shared Edge this user reads only the scenario's folder, so that is all it may remove.
      await expectStatus(t.http('DELETE', `/artifactory/${UPLOADS}/`, { auth: dana.auth }), 204);
      expect((await t.http('GET', `/artifactory/${base}/secret/s.txt`)).text).toBe(SECRET);
      expect((await t.http('GET', `/artifactory/${base}/pub/id.key`)).text).toBe(KEY);
    },
  }),
  scenario({
    id: 'path-permissions/recursive-properties-skip-excluded-files',
    title: 'recursive property set, delete and PATCH /api/metadata skip the excluded files',
    requirements: ['EDGE-AUTH-6'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      await expectStatus(t.http('PUT', `/artifactory/api/storage/${base}/pub?properties=stamp=dana&recursive=1`, { auth: dana.auth }), 204);
      await expectStatus(t.http('DELETE', `/artifactory/api/storage/${base}/pub?properties=owner&recursive=1`, { auth: dana.auth }), 204);
      await expectStatus(
        t.http('PATCH', `/artifactory/api/metadata/${base}/pub?recursiveProperties=1`, { auth: dana.auth, json: { props: { patched: 'yes' } } }),
        204,
      );
      expect((await t.http('GET', `/artifactory/api/storage/${base}/pub/p.txt?properties`)).json()).toMatchObject({
        properties: { stamp: ['dana'], patched: ['yes'] },
      });
      expect((await t.http('GET', `/artifactory/api/storage/${base}/pub/id.key?properties`)).json()).toEqual({
        properties: { owner: ['admin'] },
        uri: expect.stringContaining('id.key'),
      });
    },
  }),
];
