import { expectError, expectRefusedUnchanged, expectStatus, snapshot } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { localRepo } from '../../kit/world.ts';

/** Creating, changing and deleting repositories (EDGE-REPO-2, -3, -4). */

const config = (key: string) => `/artifactory/api/repositories/${key}`;

/** Creates `key` with a raw PUT (its answer is what is checked) and removes it when the scenario ends. */
async function created(t: ScenarioContext, key: string, body: Record<string, unknown>) {
  const res = await expectStatus(t.http('PUT', config(key), { json: body }), 200);
  t.defer(() => t.clients().artifactory.deleteRepository(key));
  return res;
}

/**
 * Creates a repository of a class an Edge may not hold (yet): either it is created (its
 * configuration names the class; removed when the scenario ends), or refused with 400
 * REPO_CLASS_UNSUPPORTED matching `message`, and nothing is created.
 */
export async function createdOrUnsupported(
  t: ScenarioContext,
  key: string,
  body: { rclass: string } & Record<string, unknown>,
  message: RegExp,
): Promise<void> {
  const before = await snapshot(t);
  const res = await t.http('PUT', config(key), { json: body });
  if (res.status === 200) {
    t.defer(() => t.clients().artifactory.deleteRepository(key));
    expect((await t.clients().artifactory.repository(key)).rclass).toBe(body.rclass);
    return;
  }
  expectError(res, 400, 'REPO_CLASS_UNSUPPORTED', message);
  expect(await snapshot(t), 'the refusal changed the Edge').toEqual(before);
  expectError(await t.http('GET', config(key)), 404, 'NOT_FOUND', new RegExp(key));
}

export const repositoryConfigurationScenarios = [
  scenario({
    id: 'repositories/create-with-defaults',
    title: 'a created local repository answers the JFrog text, and its configuration shows rclass and the defaults',
    requirements: ['EDGE-REPO-2'],
    async run(t) {
      const key = t.name('libs-release-local');
      const res = await created(t, key, { rclass: 'local', packageType: 'maven', description: 'releases' });
      expect(res.text).toBe(`Successfully created repository '${key}'`);
      const read = await expectStatus(t.http('GET', config(key)), 200);
      expect(read.json()).toMatchObject({ key, rclass: 'local', packageType: 'maven', description: 'releases', includesPattern: '**/*', excludesPattern: '' });
    },
  }),
  scenario({
    id: 'repositories/create-existing-key-refused',
    title: 'a second create of the same key is 400 REPO_EXISTS and changes nothing',
    requirements: ['EDGE-REPO-2'],
    async run(t) {
      const key = await localRepo(t, 'twice');
      await expectRefusedUnchanged(t, () => t.http('PUT', config(key), { json: { rclass: 'local' } }), 400, 'REPO_EXISTS', new RegExp(key));
    },
  }),
  scenario({
    id: 'repositories/create-invalid-body-refused',
    title: 'an unknown package type, a body key that differs from the URL, a missing rclass or a mistyped field is 400 INVALID_BODY and creates nothing',
    requirements: ['EDGE-REPO-2'],
    async run(t) {
      for (const [what, body] of [
        ['an unknown package type', { rclass: 'local', packageType: 'nonsense' }],
        ['a body key that differs from the URL', { key: 'other', rclass: 'local' }],
        ['no rclass', { packageType: 'generic' }],
        ['a description that is a number', { rclass: 'local', description: 42 }],
      ] as const) {
        const key = t.name('invalid');
        await combination(t, `create with ${what}`, async () => {
          await expectRefusedUnchanged(t, () => t.http('PUT', config(key), { json: body }), 400, 'INVALID_BODY', /./);
          expectError(await t.http('GET', config(key)), 404, 'NOT_FOUND', new RegExp(key));
        });
      }
    },
  }),
  scenario({
    id: 'repositories/virtual-created-or-unsupported',
    title: 'a virtual repository is created, or refused with 400 REPO_CLASS_UNSUPPORTED saying so; a refusal creates nothing',
    requirements: ['EDGE-REPO-2'],
    async run(t) {
      await createdOrUnsupported(t, t.name('virt'), { rclass: 'virtual', repositories: [] }, /Virtual repositories are not available/);
    },
  }),
  scenario({
    id: 'repositories/update-keeps-class-and-package-type',
    title: "an update changes the description but never the repository's package type (400 INVALID_BODY)",
    requirements: ['EDGE-REPO-3'],
    async run(t) {
      const key = await localRepo(t, 'upd');
      await expectStatus(t.http('POST', config(key), { json: { description: 'changed' } }), 200);
      expect((await expectStatus(t.http('GET', config(key)), 200)).json()).toMatchObject({ description: 'changed', packageType: 'generic' });
      await expectRefusedUnchanged(t, () => t.http('POST', config(key), { json: { packageType: 'npm' } }), 400, 'INVALID_BODY', /packageType/);
    },
  }),
  scenario({
    id: 'repositories/delete',
    title: 'deleting a repository answers the JFrog text and removes it; deleting it again is 404',
    requirements: ['EDGE-REPO-4'],
    async run(t) {
      const key = t.name('doomed');
      await expectStatus(t.http('PUT', config(key), { json: { rclass: 'local' } }), 200);
      const res = await expectStatus(t.http('DELETE', config(key)), 200);
      expect(res.text).toBe(`Repository '${key}' and all its content have been removed successfully.`);
      await expectStatus(t.http('GET', config(key)), 404);
      await expectStatus(t.http('DELETE', config(key)), 404);
    },
  }),
];
