import { expect } from '../../kit/expect.ts';
import { dist, distribute, expectNothingPublished, expectPublished, release, settle, SOURCE_PROPS, startFlow } from '../../kit/platform-flow.ts';
import { scenario } from '../../kit/scenario.ts';

/** One distribution, two Edges: each is a site of its own, and deleting from one leaves the other alone. */

export const twoEdgeScenarios = [
  scenario({
    id: 'transfer/two-edges-at-once',
    title:
      'two registered Edges receive one distribution by country code, both publish every signed file, and a deletion from one site leaves the other intact',
    requirements: ['EDP-TX-1', 'EDP-KEY-6', 'EDP-TX-8', 'EDP-PUB-2', 'EDP-PUB-5', 'EDP-PUB-6', 'EDGE-SYS-1'],
    needs: ['more-edges'],
    async run(t) {
      const other = await t.step('start a second Edge', () => t.anotherEdge());
      const flow = await startFlow(t, {
        sites: [
          { edge: t.edge, country: 'US' },
          { edge: other, country: 'DE' },
        ],
      });
      const [us, de] = flow.sites;
      if (!us || !de) throw new Error('two sites were registered');
      // Both Edges trust the key already (the harness installed it): propagating again finds it listed.
      const propagated = await t.step('Distribution propagates its signing key', () => dist(flow, 'POST', '/keys/gpg/propagate'));
      expect(propagated.status).toBe(200);
      expect(propagated.json).toMatchObject({
        report: { status: 'SUCCESS', details: flow.sites.map((s) => ({ name: s.name, status: 'SUCCESS' })) },
      });
      const bundle = await release(flow);

      const tracker = await t.step('distribute to both countries', () => distribute(flow, '1.0.0', [{ country_codes: ['us', 'DE'] }]));
      expect(tracker.status, JSON.stringify(tracker)).toBe('Completed');
      // Mission Control learned each Edge's service id when it checked the sites for this distribution.
      const serviceIds = await Promise.all(flow.sites.map(async (s) => (await t.http('GET', '/artifactory/api/system/service_id', {}, s.edge)).text));
      expect(tracker.sites.map((s) => [s.target_artifactory.name, s.target_artifactory.service_id, s.status, s.distributed_files, s.total_files])).toEqual(
        flow.sites.map((s, i) => [s.name, serviceIds[i], 'Completed', 3, 3]),
      );

      for (const { edge, name } of flow.sites) {
        await t.step(`${name} publishes every file, its props and the bundle`, async () => {
          await expectPublished(t, edge, bundle.artifacts);
          const { artifactory, edp } = t.clients(edge.admin, edge);
          expect(await artifactory.properties(bundle.artifacts[0]?.repo_path ?? '')).toEqual({ ...SOURCE_PROPS, release: ['1.0.0'] });
          expect((await edp.bundles())[bundle.name]).toEqual([{ version: '1.0.0', created: expect.any(String), status: 'COMPLETE', keep: false }]);
        });
      }

      await t.step(`delete the bundle from ${de.name} only`, async () => {
        const deletion = await dist(flow, 'POST', `/distribution/${bundle.name}/1.0.0/delete`, {
          dry_run: false,
          on_success: 'keep',
          distribution_rules: [{ country_codes: ['DE'] }],
        });
        expect(deletion.status, JSON.stringify(deletion.json)).toBe(202);
        const deleted = await settle(flow, '1.0.0', (deletion.json as { id: number }).id);
        expect(deleted, JSON.stringify(deleted)).toMatchObject({
          status: 'Completed',
          sites: [{ status: 'Completed', target_artifactory: { name: de.name } }],
        });
      });
      await expectNothingPublished(t, de.edge, bundle);
      await expectPublished(t, us.edge, bundle.artifacts);
    },
  }),
];
