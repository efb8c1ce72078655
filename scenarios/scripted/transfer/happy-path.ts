import { expect } from '../../kit/expect.ts';
import { edpCalls, fileCalls, transactionsOf } from '../../kit/edp-traffic.ts';
import {
  createBundle,
  deploy,
  distribute,
  expectNothingPublished,
  expectPublished,
  releaseFiles,
  SOURCE_PROPS,
  startFlow,
  targetOf,
} from '../../kit/platform-flow.ts';
import { scenario } from '../../kit/scenario.ts';

/** A signed bundle's whole way: Distribution → the source's pushes → the Edge publishes. */

export const happyPathScenarios = [
  scenario({
    id: 'transfer/signed-bundle-happy-path',
    title:
      'a bundle Distribution built from AQL and signed is started with its token, pushed by the source, committed, and published with every signed checksum',
    requirements: ['EDP-TX-1', 'EDP-TX-3', 'EDP-FILE-6', 'EDP-FILE-5', 'EDP-TX-8', 'EDP-TX-7', 'EDP-PUB-1', 'EDP-PUB-2', 'EDP-PUB-6', 'EDP-PUB-7', 'EDP-PUB-8'],
    async run(t) {
      const flow = await startFlow(t);
      const files = releaseFiles(flow, 'app/1.0.0');
      await deploy(flow, files);
      const bundle = await t.step('Distribution creates and signs the bundle', () => createBundle(flow, '1.0.0', 'app/1.0.0'));
      expect(bundle.artifacts.map((a) => a.repo_path).sort()).toEqual(files.map((f) => targetOf(flow, f)).sort());
      await t.step('nothing of it is visible before it is distributed', () => expectNothingPublished(t, t.edge, bundle));

      const tracker = await t.step('distribute and poll the tracker', () => distribute(flow, '1.0.0'));
      expect(tracker, JSON.stringify(tracker)).toMatchObject({
        status: 'Completed',
        sites: [{ status: 'Completed', attempts: 1, total_files: 3, distributed_files: 3, file_errors: [] }],
      });

      await t.step('the wire: one transaction, each file claimed, refused as unknown, then uploaded once with the signed bytes', async () => {
        const calls = edpCalls(flow.platform);
        // The token Mission Control handed Distribution opened the transaction (201, EDP-TX-1, EDP-TX-3).
        expect(calls.filter((c) => c.kind !== 'claim' && c.kind !== 'upload').map((c) => `${c.by} ${c.kind} ${c.status}`)).toEqual([
          'distribution start 201',
          'distribution status 200',
          'distribution commit 200',
        ]);
        expect(transactionsOf(calls)).toHaveLength(1);
        expect(fileCalls(calls)).toEqual(
          Object.fromEntries(
            bundle.artifacts.map((a) => [
              a.repo_path,
              [
                { by: 'source', kind: 'claim', tx: transactionsOf(calls)[0], repoPath: a.repo_path, status: 404 },
                {
                  by: 'source',
                  kind: 'upload',
                  tx: transactionsOf(calls)[0],
                  repoPath: a.repo_path,
                  status: 201,
                  sent: { bytes: a.size, sha256: a.checksum, complete: true },
                },
              ],
            ]),
          ),
        );
      });

      await t.step('the Edge publishes every file with the signed checksum, the props and the bundle', async () => {
        await expectPublished(t, t.edge, bundle.artifacts);
        const { artifactory, edp } = t.clients();
        for (const a of bundle.artifacts) expect(await artifactory.properties(a.repo_path)).toEqual({ ...SOURCE_PROPS, release: ['1.0.0'] });
        expect((await edp.bundles())[bundle.name]).toEqual([{ version: '1.0.0', created: expect.any(String), status: 'COMPLETE', keep: false }]);
        const published = await edp.bundle(bundle.name, '1.0.0');
        expect(published.artifacts.map(({ repo_path, checksum }) => ({ repo_path, checksum }))).toEqual(
          bundle.artifacts.map(({ repo_path, checksum }) => ({ repo_path, checksum })),
        );
        expect(await edp.bundleJws(bundle.name, '1.0.0')).toBe(bundle.jws);
        const [tx] = transactionsOf(edpCalls(flow.platform));
        expect((await edp.transactions('COMMITTED')).find((c) => c.id === tx)).toMatchObject({
          name: bundle.name,
          version: '1.0.0',
          files: bundle.artifacts.map((a) => ({ ...a, state: 'PRESENT' })),
        });
      });
    },
  }),
];
