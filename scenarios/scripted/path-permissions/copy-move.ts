import { expectError, expectStatus, snapshot, withoutRequestId } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { permission, UPLOADS_REPO as UPLOADS, user } from '../../kit/world.ts';
import { excludedWorld, KEY, PUBLIC } from './excluded-world.ts';

/** EDGE-AUTH-6 (hole 3): copy and move carry nothing the caller may not read, and count nothing of it. */

export const copyMoveScenarios = [
  scenario({
    id: 'path-permissions/copy-and-move-of-an-excluded-folder',
    title: 'copy and move of an excluded folder answer as for an absent source, and change nothing',
    requirements: ['EDGE-AUTH-6'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      for (const op of ['copy', 'move']) {
        await t.step(op, async () => {
          const before = await snapshot(t);
          const res = await t.http('POST', `/artifactory/api/${op}/${base}/secret?to=/${base}/pub/leak`, { auth: dana.auth });
          const absent = await t.http('POST', `/artifactory/api/${op}/${base}/absent?to=/${base}/pub/leak`, { auth: dana.auth });
          expectError(res, 404, 'NOT_FOUND', /secret/);
          expect(withoutRequestId(res).replace('secret', 'absent')).toBe(withoutRequestId(absent));
          expect(await snapshot(t)).toEqual(before);
          expectError(await t.http('GET', `/artifactory/${base}/pub/leak/s.txt`, { auth: dana.auth }), 404, 'NOT_FOUND', /s\.txt/);
        });
      }
    },
  }),
  scenario({
    id: 'path-permissions/copy-of-a-folder-holding-an-excluded-file',
    title: 'copying a folder, dry run or not, copies only its readable items, and counts only those',
    requirements: ['EDGE-AUTH-6', 'EDGE-AUTH-5'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      for (const dry of [true, false]) {
        const res = await expectStatus(t.http('POST', `/artifactory/api/copy/${base}/pub?to=/${base}/pub2${dry ? '&dry=1' : ''}`, { auth: dana.auth }), 200);
        expect(res.text).toContain('1 artifacts and 1 folders');
      }
      await expectStatus(t.http('GET', `/artifactory/${base}/pub2/p.txt`), 200);
      expectError(await t.http('GET', `/artifactory/${base}/pub2/id.key`), 404, 'NOT_FOUND', /id\.key/);
    },
  }),
  scenario({
    id: 'path-permissions/move-of-a-folder-holding-an-excluded-file',
    title: 'moving a folder leaves the unreadable items, with their properties, where they were',
    requirements: ['EDGE-AUTH-6', 'EDGE-AUTH-5'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      const res = await expectStatus(t.http('POST', `/artifactory/api/move/${base}/pub?to=/${base}/moved`, { auth: dana.auth }), 200);
      expect(res.text).toContain('1 artifacts and 1 folders');
      expect((await t.http('GET', `/artifactory/${base}/moved/p.txt`)).text).toBe(PUBLIC);
      expect((await t.http('GET', `/artifactory/${base}/pub/id.key`)).text).toBe(KEY);
      expect((await t.http('GET', `/artifactory/api/storage/${base}/pub/id.key?properties`)).json()).toMatchObject({ properties: { owner: ['admin'] } });
      expectError(await t.http('GET', `/artifactory/${base}/pub/p.txt`), 404, 'NOT_FOUND', /p\.txt/);
    },
  }),
  scenario({
    id: 'path-permissions/move-stopped-by-an-item-the-caller-may-not-delete',
    title: 'a readable item the caller may not delete stops the whole move, dry run or not, with 403, and nothing changes',
    requirements: ['EDGE-AUTH-6'],
    async run(t) {
      const { folder, base } = await excludedWorld(t);
      // finn reads everything but may delete only in mixed/ outside mixed/ro/.
      const finn = await user(t, 'finn');
      await permission(t, 'finn-read', { repositories: [UPLOADS], users: { [finn.name]: ['read'] } });
      await permission(t, 'finn-mixed', {
        repositories: [UPLOADS],
        include: [`${folder}/mixed/**`, `${folder}/elsewhere/**`],
        exclude: [`${folder}/mixed/ro/**`],
        users: { [finn.name]: ['write', 'delete'] },
      });
      const { artifactory } = t.clients();
      await artifactory.deploy(`${base}/mixed/a.txt`, 'a');
      await artifactory.deploy(`${base}/mixed/ro/keep.txt`, 'keep');
      for (const dry of ['&dry=1', '']) {
        await t.step(dry ? 'dry run' : 'move', async () => {
          const before = await snapshot(t);
          const res = await t.http('POST', `/artifactory/api/move/${base}/mixed?to=/${base}/elsewhere${dry}`, { auth: finn.auth });
          expectError(res, 403, 'FORBIDDEN', new RegExp(`${finn.name} is not permitted to delete '.*mixed/ro`));
          expect(await snapshot(t)).toEqual(before);
        });
      }
    },
  }),
];
