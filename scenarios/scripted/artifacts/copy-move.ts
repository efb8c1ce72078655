import { expectRefusedAsBefore, expectStatus, snapshot } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { deleteIfPresent, inUploads as art, UPLOADS, uploadsStorage as storage } from '../../kit/uploads.ts';
import { libraryTree } from './storage-api.ts';

/** EDGE-ART-12: copy and move within the uploads repository. */

const copy = (from: string, to: string) => `/artifactory/api/copy/${UPLOADS}/${from}?to=${to}`;
const move = (from: string, to: string) => `/artifactory/api/move/${UPLOADS}/${from}?to=${to}`;

export const copyMoveScenarios = [
  scenario({
    id: 'artifacts/copy-move-and-dry-run',
    title: 'a copy takes a folder with its properties, a move takes a file away, and a dry run changes nothing',
    requirements: ['EDGE-ART-12'],
    async run(t) {
      const dir = await libraryTree(t, 'copy-move');
      await expectStatus(t.http('PUT', `${storage(`${dir}/lib/1.0`)}?properties=release=yes`), 204);
      const copied = await expectStatus(t.http('POST', copy(`${dir}/lib/1.0`, `/${UPLOADS}/${dir}/copied/1.0`)), 200);
      expect(copied.json()).toEqual({ messages: [{ level: 'INFO', message: expect.stringContaining('2 artifacts') }] });
      expect((await expectStatus(t.http('GET', art(`${dir}/copied/1.0/lib-1.0.jar`)), 200)).text).toBe('jar bytes');
      const props = await expectStatus(t.http('GET', `${storage(`${dir}/copied/1.0/lib-1.0.pom`)}?properties`), 200);
      expect(props.json()).toMatchObject({ properties: { release: ['yes'] } });

      const before = await snapshot(t);
      await expectStatus(t.http('POST', `${move(`${dir}/top.txt`, `/${UPLOADS}/${dir}/moved/top.txt`)}&dry=1`), 200);
      expect(await snapshot(t), 'a dry run changed the Edge').toEqual(before);
      await expectStatus(t.http('GET', art(`${dir}/moved/top.txt`)), 404);

      await expectStatus(t.http('POST', move(`${dir}/top.txt`, `/${UPLOADS}/${dir}/moved/top.txt`)), 200);
      await expectStatus(t.http('GET', art(`${dir}/top.txt`)), 404);
      expect((await expectStatus(t.http('GET', art(`${dir}/moved/top.txt`)), 200)).text).toBe('top');
    },
  }),
  scenario({
    id: 'artifacts/copy-move-to-repository-root',
    title: 'a copy or move to the repository root lands under the root by name, never at path ""',
    requirements: ['EDGE-ART-12', 'EDGE-AUTH-6'],
    async run(t) {
      const dir = await libraryTree(t, 'to-root');
      const pkg = t.name('pkg');
      const single = `${t.name('single')}.txt`;
      t.defer(() => deleteIfPresent(t, `${UPLOADS}/${pkg}`));
      t.defer(() => deleteIfPresent(t, `${UPLOADS}/${single}`));
      const { artifactory } = t.clients();
      await artifactory.deploy(`${UPLOADS}/${dir}/deep/${pkg}/a.txt`, 'a');
      await artifactory.deploy(`${UPLOADS}/${dir}/deep/${pkg}/sub/b.txt`, 'b');
      await artifactory.deploy(`${UPLOADS}/${dir}/deep/${single}`, 's');
      for (const to of [`/${UPLOADS}`, `/${UPLOADS}/`]) {
        await combination(t, `copy ${dir}/deep/${pkg} to ${to}`, async () => {
          await expectStatus(t.http('POST', copy(`${dir}/deep/${pkg}`, to)), 200);
        });
      }
      expect((await expectStatus(t.http('GET', art(`${pkg}/a.txt`)), 200)).text).toBe('a');
      expect((await expectStatus(t.http('GET', art(`${pkg}/sub/b.txt`)), 200)).text).toBe('b');
      await expectStatus(t.http('POST', move(`${dir}/deep/${single}`, `/${UPLOADS}`)), 200);
      expect((await expectStatus(t.http('GET', art(single)), 200)).text).toBe('s');
      await expectStatus(t.http('GET', art(`${dir}/deep/${single}`)), 404);

      const listing = await expectStatus(t.http('GET', `${storage('')}?list&deep=1&listFolders=1`), 200);
      const uris = (listing.json() as { files: { uri: string }[] }).files.map((f) => f.uri);
      expect(uris).toEqual(expect.arrayContaining([`/${pkg}`, `/${pkg}/a.txt`, `/${pkg}/sub`, `/${pkg}/sub/b.txt`, `/${single}`]));
      for (const uri of uris) expect(uri, uri).toMatch(/^\/[^/]/);
      const root = await expectStatus(t.http('GET', storage('')), 200);
      const children = (root.json() as { children: { uri: string }[] }).children.map((c) => c.uri);
      for (const uri of children) expect(uri, uri).toMatch(/^\/[^/]+$/);
      for (const uri of children) await expectStatus(t.http('GET', `${storage('')}${uri.slice(1)}`), 200);
      // A copy of a root folder to the root of its own repository would be a copy into itself.
      await expectStatus(t.http('POST', copy(pkg, `/${UPLOADS}`)), 400);
    },
  }),
  scenario({
    id: 'artifacts/copy-move-refusals',
    title: 'a copy into itself or without a target is 400, a missing source 404, and none changes anything',
    requirements: ['EDGE-ART-12'],
    async run(t) {
      const dir = await libraryTree(t, 'copy-bad');
      const before = await snapshot(t);
      for (const [what, path, status] of [
        ['into itself', copy(`${dir}/lib`, `/${UPLOADS}/${dir}/lib/inner`), 400],
        ['of a missing source', copy(`${dir}/nothing`, `/${UPLOADS}/${dir}/x`), 404],
        ['without a target', `/artifactory/api/copy/${UPLOADS}/${dir}/lib`, 400],
      ] as const) {
        await combination(t, `copy ${what}`, async () => {
          await expectRefusedAsBefore(t, before, await t.http('POST', path), status);
        });
      }
    },
  }),
];
