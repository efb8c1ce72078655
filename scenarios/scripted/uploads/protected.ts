import { expectRefusedUnchanged, expectStatus } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { scratch, UPLOADS } from '../../kit/uploads.ts';

/** EDGE-RO-3: the uploads repository is part of what makes an Edge; it stays, local and generic. */

const CONFIG = `/artifactory/api/repositories/${UPLOADS}`;
const LIST = '/artifactory/api/repositories';

const RECLASS = [
  { name: 'rclass remote', body: { rclass: 'remote', url: 'http://x', contentSynchronisation: { enabled: true } }, field: /rclass/ },
  { name: 'rclass virtual', body: { rclass: 'virtual' }, field: /rclass/ },
  { name: 'packageType maven', body: { packageType: 'maven' }, field: /packageType/ },
  { name: 'packageType docker together with a description', body: { packageType: 'docker', description: 'sneaked in' }, field: /packageType/ },
  { name: 'rclass federated with the same packageType', body: { rclass: 'federated', packageType: 'generic' }, field: /rclass/ },
];

export const protectedUploadsScenarios = [
  scenario({
    id: 'uploads/is-local-generic',
    title: `${UPLOADS} is a local generic repository, listed as one`,
    requirements: ['EDGE-RO-3'],
    async run(t) {
      const config = await expectStatus(t.http('GET', CONFIG), 200);
      expect(config.json()).toMatchObject({ key: UPLOADS, rclass: 'local', packageType: 'generic' });
      const list = await expectStatus(t.http('GET', LIST), 200);
      expect(list.json()).toContainEqual(expect.objectContaining({ key: UPLOADS, type: 'LOCAL', packageType: 'Generic' }));
    },
  }),
  scenario({
    id: 'uploads/exists-from-first-start',
    title: `a freshly started Edge holds ${UPLOADS} and nothing else`,
    requirements: ['EDGE-RO-3'],
    needs: ['more-edges'],
    async run(t) {
      const fresh = await t.step('start another Edge', () => t.anotherEdge());
      const config = await expectStatus(t.http('GET', CONFIG, {}, fresh), 200);
      expect(config.json()).toMatchObject({ key: UPLOADS, rclass: 'local', packageType: 'generic' });
      const list = await expectStatus(t.http('GET', LIST, {}, fresh), 200);
      expect(list.json()).toEqual([expect.objectContaining({ key: UPLOADS, type: 'LOCAL', packageType: 'Generic' })]);
    },
  }),
  scenario({
    id: 'uploads/cannot-be-deleted',
    title: `deleting ${UPLOADS} is refused with UPLOADS_REPO_PROTECTED, and its content stays`,
    requirements: ['EDGE-RO-3'],
    async run(t) {
      const file = `${scratch(t, 'protected')}/kept.txt`;
      await t.clients().artifactory.deploy(`${UPLOADS}/${file}`, 'kept');
      await expectRefusedUnchanged(t, () => t.http('DELETE', CONFIG), 403, 'UPLOADS_REPO_PROTECTED', new RegExp(`${UPLOADS}.*cannot be removed`));
      expect((await expectStatus(t.http('GET', `/artifactory/${UPLOADS}/${file}`), 200)).text).toBe('kept');
    },
  }),
  scenario({
    id: 'uploads/cannot-be-reclassed',
    title: `${UPLOADS} cannot become another class or package type, by update (INVALID_BODY) or re-creation (REPO_EXISTS)`,
    requirements: ['EDGE-RO-3'],
    async run(t) {
      for (const c of RECLASS) {
        await combination(t, `POST ${CONFIG} with ${c.name}`, async () => {
          await expectRefusedUnchanged(t, () => t.http('POST', CONFIG, { json: c.body }), 400, 'INVALID_BODY', c.field);
        });
      }
      await combination(t, `PUT ${CONFIG} as a maven repository`, async () => {
        await expectRefusedUnchanged(
          t,
          () => t.http('PUT', CONFIG, { json: { rclass: 'local', packageType: 'maven' } }),
          400,
          'REPO_EXISTS',
          new RegExp(UPLOADS),
        );
      });
    },
  }),
  scenario({
    id: 'uploads/description-can-change',
    title: `${UPLOADS}'s description may change; it keeps its class and package type and still takes uploads`,
    requirements: ['EDGE-RO-3'],
    async run(t) {
      const { artifactory } = t.clients();
      const original = (await artifactory.repository(UPLOADS)).description;
      t.defer(() => artifactory.updateRepository(UPLOADS, { description: typeof original === 'string' ? original : '' }));
      const description = `Edge uploads, renamed by ${t.name('run')}`;
      await expectStatus(t.http('POST', CONFIG, { json: { description } }), 200);
      const config = await expectStatus(t.http('GET', CONFIG), 200);
      expect(config.json()).toMatchObject({ key: UPLOADS, rclass: 'local', packageType: 'generic', description });
      const list = await expectStatus(t.http('GET', LIST), 200);
      expect(list.json()).toContainEqual(expect.objectContaining({ key: UPLOADS, description, type: 'LOCAL' }));
      await expectStatus(t.http('PUT', `/artifactory/${UPLOADS}/${scratch(t, 'renamed')}/after-rename.txt`, { body: 'x' }), 201);
    },
  }),
];
