import { snapshot } from '../../kit/assertions.ts';
import { edpCalls, mark } from '../../kit/edp-traffic.ts';
import { expect } from '../../kit/expect.ts';
import { distribute, expectPublished, release, startFlow } from '../../kit/platform-flow.ts';
import { scenario } from '../../kit/scenario.ts';

/** Distributing a bundle the Edge already published is harmless (EDP-TX-4). */

export const redeliveryScenarios = [
  scenario({
    id: 'transfer/redelivery-is-idempotent',
    title: 'the same bundle distributed again is answered 200 with the committed transaction, nothing is sent, and nothing on the Edge changes',
    requirements: ['EDP-TX-4', 'EDP-PUB-3'],
    async run(t) {
      const flow = await startFlow(t);
      const bundle = await release(flow);
      expect(await distribute(flow, '1.0.0')).toMatchObject({ status: 'Completed' });
      const { edp } = t.clients();
      const committed = async () => (await edp.transactions('COMMITTED')).filter((tx) => tx.name === bundle.name);
      const before = { edge: await snapshot(t), transactions: await committed() };
      expect(before.transactions).toHaveLength(1);

      const since = await mark(flow.platform);
      const again = await t.step('distribute the same bundle again', () => distribute(flow, '1.0.0'));
      expect(again, JSON.stringify(again)).toMatchObject({ status: 'Completed', sites: [{ status: 'Completed', attempts: 1, distributed_files: 3 }] });
      // The start answered 200 with the COMMITTED transaction: no file was asked for, nothing committed again.
      expect(edpCalls(flow.platform, since).map((c) => `${c.by} ${c.kind} ${c.status}`)).toEqual(['distribution start 200']);
      expect({ edge: await snapshot(t), transactions: await committed() }).toEqual(before);
      await expectPublished(t, t.edge, bundle.artifacts);
    },
  }),
];
