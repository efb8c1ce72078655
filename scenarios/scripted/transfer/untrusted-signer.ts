import { edpCalls } from '../../kit/edp-traffic.ts';
import { expect } from '../../kit/expect.ts';
import { dist, distribute, expectNothingPublished, release, startFlow } from '../../kit/platform-flow.ts';
import { scenario } from '../../kit/scenario.ts';

/** A bundle signed with a key the Edge does not trust ends the distribution at once. */

export const untrustedSignerScenarios = [
  scenario({
    id: 'transfer/untrusted-signer-fails-at-once',
    title:
      'a bundle Distribution signed with a key never propagated is refused at start with 403 EDP_UNTRUSTED_KEY naming its kid; the site fails at once and nothing is created',
    requirements: ['EDP-SIG-5', 'EDP-TX-2', 'EDP-TX-3'],
    async run(t) {
      const flow = await startFlow(t);
      const rogue = { alias: 'rogue', public_key: t.material.publicKey('untrusted-signing'), private_key: t.material.secretKey('untrusted-signing') };
      const key = await dist(flow, 'POST', '/keys/gpg', { key: rogue, set_as_default: true });
      expect(key.json).toMatchObject({ report: { status: 'PROPAGATION_NOT_REQUESTED' } });
      const bundle = await release(flow);
      const { kid } = JSON.parse(Buffer.from(bundle.jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid: string };

      const tracker = await t.step('distribute', () => distribute(flow, '1.0.0'));
      expect(tracker.status, JSON.stringify(tracker)).toBe('Failed');
      expect(tracker.sites).toMatchObject([{ status: 'Failed', attempts: 1, distributed_files: 0 }]);
      expect(tracker.sites[0]?.general_error).toMatch(
        new RegExp(`^start transaction \\(POST /artifactory/api/edp/v1/transactions\\): Edge answered HTTP 403 EDP_UNTRUSTED_KEY: .*${kid}`),
      );
      expect(edpCalls(flow.platform).map((c) => `${c.by} ${c.kind} ${c.status}`)).toEqual(['distribution start 403']);

      await expectNothingPublished(t, t.edge, bundle);
      const transactions = await t.clients().edp.transactions();
      expect(transactions.filter((tx) => tx.name === bundle.name)).toEqual([]);
    },
  }),
];
