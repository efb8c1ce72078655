import { SIM_GPG_ALIAS } from '../../../simulator/platform.ts';
import { expect } from '../../kit/expect.ts';
import { TRUST_ALIASES } from '../../kit/material.ts';
import { dist, distribute, expectPublished, release, startFlow } from '../../kit/platform-flow.ts';
import { scenario } from '../../kit/scenario.ts';

/** Distribution hands its signing key to the Edges itself (jfrog-compat.md §3.9). */

export const keyPropagationScenarios = [
  scenario({
    id: 'transfer/propagated-key-verifies-bundles',
    title:
      "Distribution propagates its signing key with Mission Control's token to an Edge that does not trust it; the Edge lists it and accepts the bundles it signs",
    requirements: ['EDP-KEY-1', 'EDP-KEY-2', 'EDP-KEY-6', 'EDP-SIG-5', 'EDP-TX-1'],
    needs: ['trust-changes'],
    async run(t) {
      const flow = await startFlow(t);
      const { edp } = t.clients();
      // Back to the harness's trust whatever happens: installTrust adds the key when it is missing.
      t.defer(() => t.installTrust());
      await t.step('the Edge forgets the signing key', async () => {
        const fixture = (await edp.trustedKeys()).find((k) => k.alias === TRUST_ALIASES.signingKey);
        if (fixture) await edp.removeTrustedKey(fixture.kid);
      });
      const bundle = await release(flow);
      const { kid } = JSON.parse(Buffer.from(bundle.jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid: string };
      expect((await edp.trustedKeys()).map((k) => k.kid)).not.toContain(kid);

      const propagated = await t.step('Distribution propagates its default key', () => dist(flow, 'POST', '/keys/gpg/propagate'));
      expect(propagated).toEqual({
        status: 200,
        json: {
          report: {
            message: expect.any(String),
            status: 'SUCCESS',
            details: [{ jpd_id: expect.any(String), name: flow.sites[0]?.name, key_alias: SIM_GPG_ALIAS, status: 'SUCCESS' }],
          },
        },
      });
      expect((await edp.trustedKeys()).filter((k) => k.kid === kid)).toMatchObject([{ alias: SIM_GPG_ALIAS, kid }]);

      const tracker = await t.step('distribute a bundle signed with it', () => distribute(flow, '1.0.0'));
      expect(tracker, JSON.stringify(tracker)).toMatchObject({ status: 'Completed', sites: [{ status: 'Completed', attempts: 1 }] });
      await expectPublished(t, t.edge, bundle.artifacts);
    },
  }),
];
