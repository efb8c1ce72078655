import { expectError, expectStatus } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { NotApplicable } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { anonymousAllowed } from '../../kit/identities.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS } from '../../kit/uploads.ts';
import { localRepo } from '../../kit/world.ts';

/** EDGE-REPO-1: the repository list, JFrog-style, and its filters. */

const LIST = '/artifactory/api/repositories';

interface Entry {
  key: string;
  type: string;
  packageType: string;
}

export const repositoryListScenarios = [
  scenario({
    id: 'repositories/list-jfrog-style',
    title: 'the repository list shows the uploads repository with upper-case type, capitalised packageType and its URL',
    requirements: ['EDGE-REPO-1'],
    async run(t) {
      const res = await expectStatus(t.http('GET', LIST), 200);
      expect(res.json()).toContainEqual({
        key: UPLOADS,
        type: 'LOCAL',
        description: expect.any(String),
        url: `${t.edge.url}/artifactory/${UPLOADS}`,
        packageType: 'Generic',
      });
    },
  }),
  scenario({
    id: 'repositories/list-filters',
    title: 'the list filters by type and packageType, case-insensitively; an unknown type is 400 BAD_REQUEST',
    requirements: ['EDGE-REPO-1'],
    async run(t) {
      const npm = await localRepo(t, 'npm-local', { packageType: 'npm' });
      const entries = async (query: string) => (await expectStatus(t.http('GET', `${LIST}?${query}`), 200)).json() as Entry[];
      await combination(t, 'packageType=npm', async () => {
        const list = await entries('packageType=npm');
        expect(list.map((r) => r.key)).toContain(npm);
        for (const r of list) expect(r.packageType, r.key).toBe('Npm');
      });
      await combination(t, 'packageType=Generic', async () => {
        const list = await entries('packageType=Generic');
        expect(list.map((r) => r.key)).toContain(UPLOADS);
        expect(list.map((r) => r.key)).not.toContain(npm);
      });
      await combination(t, 'type=LOCAL', async () => {
        expect((await entries('type=LOCAL')).map((r) => r.key)).toEqual(expect.arrayContaining([npm, UPLOADS]));
      });
      await combination(t, 'type=virtual', async () => {
        const list = await entries('type=virtual');
        expect(list.map((r) => r.key)).not.toContain(npm);
        for (const r of list) expect(r.type, r.key).toBe('VIRTUAL');
      });
      expectError(await t.http('GET', `${LIST}?type=bogus`), 400, 'BAD_REQUEST', /bogus/);
    },
  }),
  scenario({
    id: 'repositories/list-unknown-type-needs-credentials',
    title: 'without credentials (anonymous access off) the list answers 401 before judging an unknown type',
    requirements: ['EDGE-AUTH-2', 'EDGE-REPO-1'],
    async run(t) {
      if (await anonymousAllowed(t)) throw new NotApplicable('anonymous access is on: an anonymous caller is a reader here');
      expect((await t.http('GET', `${LIST}?type=bogus`, { auth: null })).status).toBe(401);
      expect((await t.http('GET', `${LIST}?type=bogus`)).status).toBe(400);
    },
  }),
];
