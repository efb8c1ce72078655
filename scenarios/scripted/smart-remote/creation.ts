import { Hono } from 'hono';
import { listen } from '../../../simulator/core/listen.ts';
import { expectError, expectRefusedUnchanged, expectStatus } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { smartRemote, startUpstream } from '../../kit/upstream.ts';

/** Creating a smart remote: the URL must answer as an Artifactory (EDGE-SR-1); every remote field with JFrog's defaults (EDGE-SR-2). */

const config = (key: string) => `/artifactory/api/repositories/${key}`;
const NOT_SMART = /^Only smart remote repositories are supported with Artifactory Edge license\b.*'url'/s;

/** JFrog's defaults for the remote fields (jfrog-compat.md §1.7). */
const REMOTE_DEFAULTS = {
  retrievalCachePeriodSecs: 7200,
  missedRetrievalCachePeriodSecs: 1800,
  assumedOfflinePeriodSecs: 300,
  socketTimeoutMillis: 15000,
  metadataRetrievalTimeoutSecs: 60,
  listRemoteFolderItems: true,
  hardFail: false,
  offline: false,
  bypassHeadRequests: false,
  storeArtifactsLocally: true,
  synchronizeProperties: false,
  contentSynchronisation: { enabled: true, statistics: { enabled: false }, properties: { enabled: false }, source: { originAbsenceDetection: false } },
};

export const creationScenarios = [
  scenario({
    id: 'smart-remote/created-with-defaults',
    title: "a smart remote over an Artifactory is created; its configuration shows the URL and JFrog's defaults, and never the password",
    requirements: ['EDGE-SR-1', 'EDGE-SR-2'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const remote = await smartRemote(t, upstream);
      const got = await expectStatus(t.http('GET', config(remote)), 200);
      expect(got.json()).toMatchObject({
        key: remote,
        rclass: 'remote',
        packageType: 'generic',
        url: upstream.url,
        username: upstream.credentials?.username,
        ...REMOTE_DEFAULTS,
      });
      expect(got.text, 'the password in clear').not.toContain(upstream.credentials?.password as string);
      await t.step('the check reached the upstream: ping and the repository', async () => {
        const paths = (await upstream.exchanges()).map((e) => `${e.method} ${e.path}`);
        expect(paths).toContain('GET /artifactory/api/system/ping');
        const repository = new URL(upstream.url).pathname.split('/').at(-1);
        expect(paths.filter((p) => p === `GET /artifactory/api/storage/${repository}` || p === `GET /artifactory/api/storage/${repository}/`)).not.toEqual([]);
      });
      await t.step('fields given are kept', async () => {
        const tuned = await smartRemote(t, upstream, {
          hardFail: true,
          socketTimeoutMillis: 2500,
          missedRetrievalCachePeriodSecs: 0,
          listRemoteFolderItems: false,
        });
        expect((await expectStatus(t.http('GET', config(tuned)), 200)).json()).toMatchObject({
          hardFail: true,
          socketTimeoutMillis: 2500,
          missedRetrievalCachePeriodSecs: 0,
          listRemoteFolderItems: false,
        });
      });
    },
  }),
  scenario({
    id: 'smart-remote/mistyped-field-refused',
    title: 'a remote field of the wrong type is 400 INVALID_BODY naming it, and nothing is created',
    requirements: ['EDGE-SR-2'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      // Created once, so the Edge demonstrably holds smart remotes (else: not applicable).
      await smartRemote(t, upstream);
      for (const [field, value] of [
        ['socketTimeoutMillis', 'soon'],
        ['hardFail', 'yes'],
        ['offline', 1],
        ['missedRetrievalCachePeriodSecs', -5],
        ['listRemoteFolderItems', 'true'],
      ] as const) {
        const key = t.name('typed-remote');
        await combination(t, `${field}: ${JSON.stringify(value)}`, async () => {
          const body = {
            rclass: 'remote',
            packageType: 'generic',
            url: upstream.url,
            ...upstream.credentials,
            contentSynchronisation: { enabled: true },
            [field]: value,
          };
          await expectRefusedUnchanged(t, () => t.http('PUT', config(key), { json: body }), 400, 'INVALID_BODY', new RegExp(field));
          expectError(await t.http('GET', config(key)), 404, 'NOT_FOUND', new RegExp(key));
        });
      }
    },
  }),
  scenario({
    id: 'smart-remote/url-not-an-artifactory-refused',
    title:
      'a missing, malformed or unreachable url, or one that does not answer as an Artifactory (ping, the repository), is 400 REMOTE_NOT_SMART naming url, and nothing is created',
    requirements: ['EDGE-SR-1'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      await smartRemote(t, upstream);
      // A web server that is no Artifactory: 404 for everything.
      const other = await listen({ name: 'upstream', app: new Hono() });
      t.defer(() => other.close());
      // A port nobody listens on any more.
      const gone = await listen({ name: 'upstream', app: new Hono() });
      await gone.close();
      const base = new URL(upstream.url).origin;
      for (const [what, url] of [
        ['no url', undefined],
        ['a url that is not one', 'not a url'],
        ['an ftp url', 'ftp://127.0.0.1/artifactory/generic-upstream'],
        ['a url without /artifactory/<repository>', `${base}/`],
        ['an unreachable url', `${gone.url}/artifactory/generic-upstream`],
        ['a server that is not an Artifactory', `${other.url}/artifactory/generic-upstream`],
        ['an Artifactory without that repository', `${base}/artifactory/no-such-repository`],
      ] as const) {
        const key = t.name('bad-remote');
        await combination(t, what, async () => {
          const body = {
            rclass: 'remote',
            packageType: 'generic',
            ...(url === undefined ? {} : { url }),
            ...upstream.credentials,
            contentSynchronisation: { enabled: true },
          };
          await expectRefusedUnchanged(t, () => t.http('PUT', config(key), { json: body }), 400, 'REMOTE_NOT_SMART', NOT_SMART);
          expectError(await t.http('GET', config(key)), 404, 'NOT_FOUND', new RegExp(key));
        });
      }
    },
  }),
];
