import { baseline, expectStatus } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { unlessGone, UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { ITEM_ROUTES, itemWorld } from './item-world.ts';

/**
 * EDGE-IN-3: repository keys that break Artifactory's rule, or that name one of its reserved
 * paths, are refused with 400 BAD_REPO_KEY wherever a key is taken; `/artifactory/api/...` is
 * the REST space, where an unknown endpoint answers 404.
 */

const BAD_KEYS: { id: string; family: string; key: string }[] = [
  { id: 'leading-dash', family: "a key starting with '-'", key: '-x' },
  { id: 'space', family: 'a key with a space', key: 'a%20b' },
  { id: 'over-64-characters', family: 'a key of 65 characters', key: 'k'.repeat(65) },
  { id: 'reserved-api', family: "the reserved key 'api'", key: 'api' },
  { id: 'reserved-ui', family: "the reserved key 'ui'", key: 'ui' },
  { id: 'leading-dot', family: "a key starting with '.'", key: '.hidden' },
  { id: 'colon', family: "a key with ':'", key: 'a:b' },
];

const RESERVED_TOO = ['webapp', 'list', 'repo', 'service', 'favicon.ico'].map((key) => ({
  id: `reserved-${key.replace('.', '-')}`,
  family: `the reserved key '${key}'`,
  key,
}));

const onItemRoutes = BAD_KEYS.map((bad) =>
  scenario({
    id: `bad-input/repository-key-${bad.id}`,
    title: `${bad.family} is refused with 400 BAD_REPO_KEY on every item route (under /artifactory/api/ an unknown endpoint), and nothing changes`,
    requirements: ['EDGE-IN-3'],
    async run(t) {
      const folder = await itemWorld(t);
      const unchanged = await baseline(t);
      for (const route of ITEM_ROUTES) {
        const send = () => route.send(t, `${bad.key}/dir/a.txt`, folder);
        await t.step(route.name, () =>
          bad.key === 'api' && route.underArtifactory
            ? unchanged.refused(send, 404, 'NOT_FOUND', /Unknown API endpoint/)
            : unchanged.refused(send, 400, 'BAD_REPO_KEY', /[Rr]epository key/),
        );
      }
    },
  }),
);

export const repositoryKeyScenarios = [
  ...onItemRoutes,
  scenario({
    id: 'bad-input/repository-key-of-copy-and-move-targets',
    title: "copy and move to a target repository 'api', 'ui', '-x' or 'a b' are refused with 400 BAD_REPO_KEY, and nothing changes",
    requirements: ['EDGE-IN-3'],
    async run(t) {
      const folder = await itemWorld(t);
      const unchanged = await baseline(t);
      for (const key of ['api', 'ui', '-x', 'a%20b']) {
        for (const op of ['copy', 'move']) {
          await t.step(`${op} to '${key}'`, () =>
            unchanged.refused(
              () => t.http('POST', `/artifactory/api/${op}/${UPLOADS}/${folder}/dir/a.txt?to=/${key}/a.txt`),
              400,
              'BAD_REPO_KEY',
              /[Rr]epository key/,
            ),
          );
        }
      }
    },
  }),
  scenario({
    id: 'bad-input/repository-key-on-create',
    title: 'creating a repository with an invalid or reserved key is refused with 400 BAD_REPO_KEY, and nothing is created',
    requirements: ['EDGE-IN-3'],
    async run(t) {
      const unchanged = await baseline(t);
      for (const bad of [...BAD_KEYS, ...RESERVED_TOO]) {
        await t.step(bad.family, () =>
          unchanged.refused(
            () => t.http('PUT', `/artifactory/api/repositories/${bad.key}`, { json: { rclass: 'local' } }),
            400,
            'BAD_REPO_KEY',
            /[Rr]epository key/,
          ),
        );
      }
    },
  }),
  scenario({
    id: 'bad-input/repository-key-of-64-characters-accepted',
    title: 'a key of 64 characters with ., _ and - is accepted (boundary)',
    requirements: ['EDGE-IN-3'],
    async run(t) {
      const unique = t.name('K0._-');
      const key = unique.padEnd(64, 'k');
      expect(key).toHaveLength(64);
      t.defer(() => unlessGone(() => t.clients().artifactory.deleteRepository(key)));
      await expectStatus(t.http('PUT', `/artifactory/api/repositories/${key}`, { json: { rclass: 'local' } }), 200);
      await expectStatus(t.http('DELETE', `/artifactory/api/repositories/${key}`), 200);
    },
  }),
];
