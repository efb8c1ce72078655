import { expectError, expectRefusedUnchanged, expectStatus } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { startUpstream } from '../../kit/upstream.ts';
import { createdOrUnsupported } from '../repositories/configuration.ts';
import { READ_ONLY_MESSAGE } from './refusals.ts';

/** EDGE-RO-4: an Edge proxies other Artifactory instances only through smart remotes. */

const REMOTE_NOT_SMART_MESSAGE = 'Only smart remote repositories are supported with Artifactory Edge license';
const REPOSITORIES = '/artifactory/api/repositories';

async function expectAbsent(t: ScenarioContext, key: string): Promise<void> {
  expectError(await t.http('GET', `${REPOSITORIES}/${key}`), 404, 'NOT_FOUND', new RegExp(key));
}

const NOT_SMART = [
  { name: 'no contentSynchronisation', body: { rclass: 'remote', url: 'http://x' } },
  { name: 'contentSynchronisation.enabled=false', body: { rclass: 'remote', url: 'http://x', contentSynchronisation: { enabled: false } } },
  { name: 'contentSynchronisation without enabled', body: { rclass: 'remote', url: 'http://x', contentSynchronisation: {} } },
  { name: 'a package type and no contentSynchronisation', body: { rclass: 'remote', packageType: 'npm', url: 'https://registry.npmjs.org' } },
];

export const smartRemoteScenarios = [
  scenario({
    id: 'read-only/remote-not-smart-refused',
    title: 'a remote repository that is not smart is refused with the Edge licence message, and nothing is created',
    requirements: ['EDGE-RO-4'],
    async run(t) {
      for (const c of NOT_SMART) {
        const key = t.name('plain-remote');
        await combination(t, `remote with ${c.name}`, async () => {
          await expectRefusedUnchanged(t, () => t.http('PUT', `${REPOSITORIES}/${key}`, { json: c.body }), 400, 'REMOTE_NOT_SMART', REMOTE_NOT_SMART_MESSAGE);
          await expectAbsent(t, key);
        });
      }
    },
  }),
  scenario({
    id: 'read-only/smart-remote-not-refused-as-not-smart',
    title: 'a smart remote (contentSynchronisation.enabled=true) is created, or refused as a class this Edge does not hold yet; never as not smart',
    requirements: ['EDGE-RO-4'],
    // An Edge may check that the URL answers as an Artifactory (EDGE-SR-1): it points at a real one.
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const body = { rclass: 'remote', url: upstream.url, ...upstream.credentials, contentSynchronisation: { enabled: true } };
      await createdOrUnsupported(t, t.name('smart-remote'), body, /[Ss]mart remote/);
    },
  }),
  scenario({
    id: 'read-only/local-created-read-only',
    title: 'a local repository can still be created, and it is read-only',
    requirements: ['EDGE-RO-4', 'EDGE-RO-1'],
    async run(t) {
      const key = t.name('another-local');
      const res = await expectStatus(t.http('PUT', `${REPOSITORIES}/${key}`, { json: { rclass: 'local' } }), 200);
      t.defer(() => t.clients().artifactory.deleteRepository(key));
      expect(res.text).toBe(`Successfully created repository '${key}'`);
      await expectRefusedUnchanged(t, () => t.http('PUT', `/artifactory/${key}/f.txt`, { body: 'x' }), 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE);
    },
  }),
];
