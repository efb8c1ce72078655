import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePublicKey, fixtureSecretKey } from '../fixtures/keys/index.ts';
import { createRepo } from './bundle-kit.ts';
import { ADMIN_PASSWORD, clientsOf, downloadDigest as download, startEdge, type RunningEdge } from './edge-harness.ts';
import { sha256 } from '../simulator/__fixtures__/bytes.ts';
import { basic, router } from '../simulator/__fixtures__/fake-network.ts';
import { plainContext } from '../simulator/core/service.ts';
import { createMissionControl, type MissionControl } from '../simulator/mission-control/index.ts';
import { createDistribution, type Distribution } from '../simulator/distribution/index.ts';
import { bundleSpec, callDist, fakeSource, keyUpload, registerSite, type SourceFile } from '../simulator/distribution/__fixtures__/platform.ts';

/**
 * The whole flow over real sockets: Mission Control and Distribution simulators in-process, a
 * tiny fake source that pushes with real fetch, and TWO real embedded Edges.
 */
const FILES: SourceFile[] = [
  { repoPath: 'libs-local/app/app-1.0.jar', bytes: Buffer.from('a'.repeat(64 * 1024)), props: { 'build.number': ['42'] } },
  { repoPath: 'libs-local/app/notes.txt', bytes: Buffer.from('release notes\n') },
  // Content no Edge holds before the retry test (an Edge never asks twice for content it has).
  { repoPath: 'tools-local/cli/tool.bin', bytes: Buffer.from('tool '.repeat(1000)) },
];
const LIBS = FILES.filter((f) => f.repoPath.startsWith('libs-local/'));

type Tracker = {
  status: string;
  sites: { status: string; general_error?: string; attempts: number; distributed_files: number; target_artifactory: { name: string; service_id: string } }[];
};

describe('Distribution → two real Edges (end to end)', () => {
  let ny: RunningEdge;
  let austin: RunningEdge;
  let mc: MissionControl;
  let dist: Distribution;
  let source: ReturnType<typeof fakeSource>;
  const call = (method: string, path: string, body?: unknown) => callDist(dist, method, path, body);

  beforeAll(async () => {
    [ny, austin] = await Promise.all([startEdge(), startEdge()]);
    await Promise.all([createRepo(ny, 'prod-local'), createRepo(austin, 'prod-local')]);
    // Only Distribution's calls to MC and the source stay in-process; everything else is real HTTP.
    const net = router((request) => fetch(request));
    mc = createMissionControl(plainContext('mission-control'), { adminUser: 'mc-admin', adminPassword: 'mc-password' });
    source = fakeSource(FILES, (request) => fetch(request));
    net.routes.set('http://mc.test', async (r) => mc.app.fetch(r));
    net.routes.set('http://source.test', async (r) => source.app.fetch(r));
    const credentials = { username: 'admin', password: ADMIN_PASSWORD };
    await registerSite(mc, { name: 'US_NY_Edge', city: 'New York', country: 'US' }, ny.url, credentials);
    await registerSite(mc, { name: 'US_TX_Edge', city: 'Austin', country: 'US' }, austin.url, credentials);
    // Never contacted by a US distribution; nothing listens there.
    await registerSite(mc, { name: 'FR_Edge', city: 'Paris', country: 'FR' }, 'http://127.0.0.1:9', credentials);
    dist = createDistribution(plainContext('distribution', { fetch: net.fetch }), {
      adminUser: 'admin',
      adminPassword: 'dist-password',
      missionControl: { url: 'http://mc.test', authorization: basic('mc-admin', 'mc-password') },
      source: { url: 'http://source.test', authorization: basic('source', 'x') },
      retry: { backoffMs: () => 0, sleep: async () => undefined },
    });
  });

  afterAll(async () => {
    await dist?.idle();
    await Promise.all([ny?.close(), austin?.close()]);
  });

  /** Polls the tracker as a client would, until it is no longer In progress. */
  async function settle(name: string, version: string, id: number): Promise<Tracker> {
    for (let i = 0; i < 400; i++) {
      const tracker = (await call('GET', `/release_bundle/${name}/${version}/distribution/${id}`)).json<Tracker>();
      if (tracker.status !== 'In progress') return tracker;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('tracker still In progress');
  }

  it('propagates the key, distributes by country code, and both Edges serve every file with the signed sha256', async () => {
    const keys = await call('POST', '/keys/gpg', keyUpload('release-key', { propagate_to_edge_nodes: true }));
    // FR_Edge is registered but down: the report says so, the key is kept.
    expect(keys.json()).toMatchObject({
      report: {
        status: 'PARTIAL_SUCCESS',
        details: [
          { jpd_id: 'JPD-1', name: 'US_NY_Edge', key_alias: 'release-key', status: 'SUCCESS' },
          { jpd_id: 'JPD-2', name: 'US_TX_Edge', key_alias: 'release-key', status: 'SUCCESS' },
          {
            jpd_id: 'JPD-3',
            name: 'FR_Edge',
            key_alias: 'release-key',
            status: 'FAILURE',
            message: expect.stringContaining('no answer from http://127.0.0.1:9/'),
          },
        ],
      },
    });
    for (const edge of [ny, austin]) {
      expect(await clientsOf(edge).edp.trustedKeys()).toMatchObject([{ alias: 'release-key', kid: 'b4640ee9669cea3e' }]);
    }

    const created = await call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'prod-local', { sign_immediately: true }));
    expect(created.status).toBe(201);
    const res = await call('POST', '/distribution/app/1.0', { distribution_rules: [{ country_codes: ['us'] }] });
    expect(res.status).toBe(202);
    const { id, sites } = res.json<{ id: number; sites: { name: string; service_id: string }[] }>();
    expect(sites.map((s) => s.name)).toEqual(['US_NY_Edge', 'US_TX_Edge']);
    // Mission Control learned each Edge's service id when it checked the sites for this distribution.
    const serviceIds = await Promise.all([ny, austin].map((edge) => clientsOf(edge).artifactory.serviceId()));
    expect(sites.map((s) => s.service_id)).toEqual(serviceIds);

    const tracker = await settle('app', '1.0', id);
    expect(tracker.status).toBe('Completed');
    expect(tracker.sites.map((s) => [s.status, s.distributed_files])).toEqual([
      ['Completed', 2],
      ['Completed', 2],
    ]);

    for (const edge of [ny, austin]) {
      for (const file of LIBS) {
        const target = file.repoPath.replace('libs-local/', 'prod-local/');
        expect(await download(edge, target)).toEqual({ status: 200, sha256: sha256(file.bytes) });
      }
      const { artifactory, edp } = clientsOf(edge);
      expect(await artifactory.properties('prod-local/app/app-1.0.jar')).toMatchObject({ 'build.number': ['42'], release: ['1.0'] });
      expect(await edp.bundles()).toMatchObject({ app: [{ version: '1.0', status: 'COMPLETE' }] });
    }

    const removal = await call('POST', '/distribution/app/1.0/delete', { dry_run: false, distribution_rules: [{ site_name: 'US_NY_Edge' }] });
    expect(await settle('app', '1.0', removal.json<{ id: number }>().id)).toMatchObject({ status: 'Completed' });
    expect((await download(ny, 'prod-local/app/notes.txt')).status).toBe(404);
    expect((await download(austin, 'prod-local/app/notes.txt')).status).toBe(200);
  });

  it('retries a transfer corrupted on the way to success, on the same transaction', async () => {
    await call('POST', '/release_bundle', bundleSpec('tool', '1.0', 'tools-local', 'prod-local', { sign_immediately: true }));
    source.corruptNext('prod-local/cli/tool.bin');
    const pushesBefore = source.pushes.length;
    const res = await call('POST', '/distribution/tool/1.0', { distribution_rules: [{ site_name: 'US_TX_Edge' }] });
    const tracker = await settle('tool', '1.0', res.json<{ id: number }>().id);
    expect(tracker).toMatchObject({ status: 'Completed', sites: [{ status: 'Completed', attempts: 2, distributed_files: 1 }] });
    const pushes = source.pushes.slice(pushesBefore);
    // The real Edge refused the corrupted bytes (EDP_CHECKSUM_MISMATCH); the retry resent them on the same transaction.
    expect(pushes.map((p) => p.files)).toEqual([['prod-local/cli/tool.bin'], ['prod-local/cli/tool.bin']]);
    expect(new Set(pushes.map((p) => p.transaction_id)).size).toBe(1);
    expect(await download(austin, 'prod-local/cli/tool.bin')).toEqual({ status: 200, sha256: sha256('tool '.repeat(1000)) });
    expect((await download(ny, 'prod-local/cli/tool.bin')).status).toBe(404);
  });

  it("fails at once with the Edge's exact answer when the signing key was never propagated", async () => {
    const rogue = { alias: 'rogue', public_key: fixturePublicKey('untrusted-signing'), private_key: fixtureSecretKey('untrusted-signing') };
    expect((await call('POST', '/keys/gpg', { key: rogue, set_as_default: true })).json()).toMatchObject({ report: { status: 'PROPAGATION_NOT_REQUESTED' } });
    await call('POST', '/release_bundle', bundleSpec('app', '2.0', 'libs-local', 'prod-local', { sign_immediately: true }));
    const res = await call('POST', '/distribution/app/2.0', { distribution_rules: [{ country_codes: ['US'] }] });
    const tracker = await settle('app', '2.0', res.json<{ id: number }>().id);
    expect(tracker.status).toBe('Failed');
    for (const site of tracker.sites) {
      expect(site).toMatchObject({ status: 'Failed', attempts: 1, distributed_files: 0 });
      expect(site.general_error).toMatch(
        /^start transaction \(POST \/artifactory\/api\/edp\/v1\/transactions\): Edge answered HTTP 403 EDP_UNTRUSTED_KEY: .*c35b552705e9a7b1/,
      );
    }
    expect((await download(ny, 'prod-local/app/notes.txt')).status).toBe(404);
  });
});
