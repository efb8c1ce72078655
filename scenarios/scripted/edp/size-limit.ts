import { signBundle } from '../../../protocol/bundle/index.ts';
import { payloadOf, signingKey, start } from '../../kit/bundles.ts';
import { NotApplicable, type ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, cleanUpTransaction, refusalSeries } from '../../kit/transactions.ts';

/**
 * EDP-SIG-21 at the Edge's own limit. The limit is the operator's (`maxBundleBytes`), so the
 * scenario learns it from the refusal of a bundle over any limit an Edge can have (more than
 * 2^53-1 bytes), which names it in `limit_bytes` (EDP-SIG-24); an Edge that does not name it
 * cannot be held to its boundary here (the payload table checks the refusal over any limit).
 */

const ZERO_SHA256 = '0'.repeat(64);

/** A bundle whose files have these sizes: never sent, only started. */
async function bundleOfSizes(t: ScenarioContext, repo: string, sizes: number[]): Promise<string> {
  const payload = payloadOf(t.name('sized'), '1.0', []);
  payload.artifacts = sizes.map((size, i) => ({ repo_path: `${repo}/sized/${i}.bin`, checksum: ZERO_SHA256, size }));
  return signBundle(payload, await signingKey(t));
}

export const sizeLimitScenarios = [
  scenario({
    id: 'edp/bundle-size-limit-boundary',
    title: 'a bundle adding up to exactly the limit the Edge names is accepted, one byte more is 413 EDP_BUNDLE_TOO_LARGE',
    requirements: ['EDP-SIG-21'],
    async run(t) {
      const repo = await bundleTarget(t);
      const probe = await start(t, await bundleOfSizes(t, repo, [Number.MAX_SAFE_INTEGER, 1]));
      expect(probe.status, probe.text).toBe(413);
      const limit = (probe.json() as { errors: { limit_bytes?: unknown }[] }).errors[0]?.limit_bytes;
      if (typeof limit !== 'number') throw new NotApplicable('the Edge does not name its limit (limit_bytes) when it refuses a bundle as too large');
      const refused = await refusalSeries(t);
      await t.step(`one byte over the limit of ${limit} bytes`, async () =>
        refused.start(await bundleOfSizes(t, repo, [limit, 1]), 413, 'EDP_BUNDLE_TOO_LARGE'),
      );
      await t.step('exactly the limit', async () => {
        const res = await start(t, await bundleOfSizes(t, repo, [limit]));
        expect(res.status, res.text).toBe(201);
        cleanUpTransaction(t, (res.json() as { id: string }).id);
      });
    },
  }),
];
