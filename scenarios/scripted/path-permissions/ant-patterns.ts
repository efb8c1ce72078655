import { expectError, expectStatus } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { permission, UPLOADS_REPO as UPLOADS, uploadsFolder, user } from '../../kit/world.ts';

/**
 * EDGE-AUTH-8: include and exclude patterns read as Artifactory reads them (Spring's
 * AntPathMatcher): `**` any number of folders, `*` any characters within one name, `?` one
 * character, `a/**` also `a` itself; a folder is visible when an include pattern could match
 * something below it, an excluded folder answers as absent.
 */

/** Each file an admin deploys, and whether the patterns below let the user read it. */
const FILES: [path: string, readable: boolean, why: string][] = [
  ['team/a/b.bin', true, "'team/**' matches any number of folders"],
  ['top.txt', true, "'*.txt' matches within a name"],
  ['deep/x.txt', false, "'*.txt' does not cross a folder"],
  ['v1/r.bin', true, "'v?/**' matches one character"],
  ['v10/r.bin', false, "'v?' does not match two characters"],
  ['team/secret/s.bin', false, "'team/secret/**' excludes it"],
  ['solo', true, "'solo/**' matches 'solo' itself"],
];

export const antPatternScenarios = [
  scenario({
    id: 'path-permissions/ant-patterns',
    title: "include and exclude patterns read as Ant patterns: '**', '*', '?', 'a/**' matching 'a', folders on the way visible, an excluded folder absent",
    requirements: ['EDGE-AUTH-8', 'EDGE-AUTH-5'],
    async run(t) {
      const folder = uploadsFolder(t, 'patterns');
      const pat = await user(t, 'pat');
      await permission(t, 'pat-patterns', {
        repositories: [UPLOADS],
        include: [`${folder}/team/**`, `${folder}/*.txt`, `${folder}/v?/**`, `${folder}/solo/**`],
        exclude: [`${folder}/team/secret/**`],
        users: { [pat.name]: ['read'] },
      });
      const { artifactory } = t.clients();
      for (const [path] of FILES) await artifactory.deploy(`${UPLOADS}/${folder}/${path}`, `bytes of ${path}`);
      for (const [path, readable, why] of FILES) {
        await t.step(`${path}: ${why}`, async () => {
          const res = await t.http('GET', `/artifactory/${UPLOADS}/${folder}/${path}`, { auth: pat.auth });
          if (readable) expect(res.text).toBe(`bytes of ${path}`);
          else expectError(res, 404, 'NOT_FOUND', /.+/);
        });
      }
      const children = async (path: string) =>
        (
          (await expectStatus(t.http('GET', `/artifactory/api/storage/${UPLOADS}${path}`, { auth: pat.auth }), 200)).json() as { children: { uri: string }[] }
        ).children.map((c) => c.uri);
      await t.step('the folders on the way to readable files are visible, and only they', async () => {
        expect(await children('')).toEqual([`/${folder}`]);
        expect((await children(`/${folder}`)).sort()).toEqual(['/solo', '/team', '/top.txt', '/v1']);
        expect(await children(`/${folder}/team`)).toEqual(['/a']);
      });
      await t.step('an excluded folder answers as absent', async () => {
        expectError(await t.http('GET', `/artifactory/api/storage/${UPLOADS}/${folder}/team/secret`, { auth: pat.auth }), 404, 'NOT_FOUND', /secret/);
      });
    },
  }),
];
