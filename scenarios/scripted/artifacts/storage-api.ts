import { checksumsOf } from '../../../protocol/checksums.ts';
import { expectStatus } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { adminName } from '../../kit/identities.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, scratch, UPLOADS, uploadsStorage as storage } from '../../kit/uploads.ts';

/** EDGE-ART-9: file info, folder info and listings of the storage API. */

/** A small tree under a scratch folder: lib/1.0/{jar,pom}, lib/2.0/jar, top.txt. Returns the folder. */
export async function libraryTree(t: ScenarioContext, base: string): Promise<string> {
  const dir = scratch(t, base);
  const { artifactory } = t.clients();
  await artifactory.deploy(`${UPLOADS}/${dir}/lib/1.0/lib-1.0.jar`, 'jar bytes');
  await artifactory.deploy(`${UPLOADS}/${dir}/lib/1.0/lib-1.0.pom`, '<project/>');
  await artifactory.deploy(`${UPLOADS}/${dir}/lib/2.0/lib-2.0.jar`, 'jar bytes 2');
  await artifactory.deploy(`${UPLOADS}/${dir}/top.txt`, 'top');
  return dir;
}

export const storageApiScenarios = [
  scenario({
    id: 'artifacts/file-info',
    title: "file info has JFrog's FileInfo fields",
    requirements: ['EDGE-ART-9'],
    async run(t) {
      const dir = await libraryTree(t, 'file-info');
      const path = `${dir}/lib/1.0/lib-1.0.jar`;
      const res = await expectStatus(t.http('GET', storage(path)), 200);
      const sums = checksumsOf('jar bytes');
      expect(res.json()).toMatchObject({
        repo: UPLOADS,
        path: `/${path}`,
        size: '9',
        mimeType: 'application/java-archive',
        checksums: sums,
        originalChecksums: sums,
        createdBy: adminName(t),
        modifiedBy: adminName(t),
        uri: `${t.edge.url}${storage(path)}`,
        downloadUri: `${t.edge.url}${art(path)}`,
      });
      for (const field of ['created', 'lastModified', 'lastUpdated']) {
        expect(Date.parse((res.json() as Record<string, string>)[field] as string), field).not.toBeNaN();
      }
    },
  }),
  scenario({
    id: 'artifacts/folder-info',
    title: 'folder info lists the children, folders first',
    requirements: ['EDGE-ART-9'],
    async run(t) {
      const dir = await libraryTree(t, 'folder-info');
      const root = await expectStatus(t.http('GET', storage(dir)), 200);
      expect(root.json()).toMatchObject({
        repo: UPLOADS,
        path: `/${dir}`,
        children: [
          { uri: '/lib', folder: true },
          { uri: '/top.txt', folder: false },
        ],
      });
      const lib = await expectStatus(t.http('GET', storage(`${dir}/lib`)), 200);
      expect((lib.json() as { children: unknown[] }).children).toEqual([
        { uri: '/1.0', folder: true },
        { uri: '/2.0', folder: true },
      ]);
    },
  }),
  scenario({
    id: 'artifacts/file-list',
    title: '?list honours deep, depth and listFolders, and is refused on a file',
    requirements: ['EDGE-ART-9'],
    async run(t) {
      const dir = await libraryTree(t, 'file-list');
      const uris = async (query: string) =>
        ((await expectStatus(t.http('GET', `${storage(`${dir}/lib`)}?${query}`), 200)).json() as { files: { uri: string }[] }).files.map((f) => f.uri);
      for (const [query, expected] of [
        ['list', []],
        ['list&listFolders=1', ['/1.0', '/2.0']],
        ['list&deep=1', ['/1.0/lib-1.0.jar', '/1.0/lib-1.0.pom', '/2.0/lib-2.0.jar']],
        ['list&deep=1&listFolders=1', ['/1.0', '/1.0/lib-1.0.jar', '/1.0/lib-1.0.pom', '/2.0', '/2.0/lib-2.0.jar']],
        ['list&deep=1&depth=1&listFolders=1', ['/1.0', '/2.0']],
      ] as const) {
        await combination(t, `?${query}`, async () => {
          expect(await uris(query)).toEqual(expected);
        });
      }
      const entry = ((await t.http('GET', `${storage(`${dir}/lib`)}?list&deep=1`)).json() as { files: Record<string, unknown>[] }).files[0];
      expect(entry).toMatchObject({ size: '9', folder: false, sha1: checksumsOf('jar bytes').sha1, sha2: checksumsOf('jar bytes').sha256 });
      await expectStatus(t.http('GET', `${storage(`${dir}/top.txt`)}?list`), 400);
    },
  }),
];
