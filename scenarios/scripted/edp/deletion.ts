import { edpPaths } from '../../../protocol/wire/edp.ts';
import { snapshot } from '../../kit/assertions.ts';
import { sha256, signedBundle, type BundleFile, type SignedBundle } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, expectEdpError, freshFile, publish, refusalSeries } from '../../kit/transactions.ts';
import { user } from '../../kit/world.ts';

/**
 * EDP-PUB-5: deleting a release bundle, Distribution's call: its files leave their repositories
 * unless another committed bundle holds the same path with the same content.
 */

const remove = (t: ScenarioContext, bundle: SignedBundle, auth?: string | null) =>
  t.http('DELETE', edpPaths.releaseBundle(bundle.payload.name, bundle.payload.version), auth === undefined ? {} : { auth });

export const deletionScenarios = [
  scenario({
    id: 'edp/delete-bundle',
    title: 'deleting a bundle answers 204 and removes its files, except those another bundle holds with the same content; then it is 404 EDP_BUNDLE_UNKNOWN',
    requirements: ['EDP-PUB-5', 'EDP-TX-1'],
    async run(t) {
      const repo = await bundleTarget(t);
      const shared = freshFile(t, `${repo}/del/shared.txt`);
      const own = freshFile(t, `${repo}/del/own.txt`, 3000);
      const a = await signedBundle(t, t.name('del-a'), '1.0', [shared, own]);
      const b = await signedBundle(t, t.name('del-b'), '1.0', [shared]);
      await t.step('publish two bundles sharing a file', async () => {
        await publish(t, a);
        await publish(t, b);
      });
      const plain = await user(t, 'edp-plain');
      const refused = await refusalSeries(t);
      await t.step('without credentials', () => refused.send(() => remove(t, a, null), 401, 'UNAUTHENTICATED'));
      await t.step('as a user who is not an admin', () => refused.send(() => remove(t, a, plain.auth), 403, 'FORBIDDEN'));
      await t.step('as Distribution', async () => expect((await remove(t, a)).status).toBe(204));
      const get = (file: BundleFile) => t.http('GET', `/artifactory/${file.repoPath}`);
      await t.step('its own file is gone, the shared one stays', async () => {
        expect((await get(own)).status).toBe(404);
        expect((await t.http('GET', `/artifactory/api/storage/${own.repoPath}`)).status).toBe(404);
        const kept = await get(shared);
        expect(kept.status).toBe(200);
        expect(sha256(kept.body)).toBe(sha256(shared.bytes));
      });
      await t.step('the bundle is gone from every read', async () => {
        expectEdpError(await t.http('GET', edpPaths.releaseBundle(a.payload.name, '1.0')), 404, 'EDP_BUNDLE_UNKNOWN');
        expectEdpError(await t.http('GET', `${edpPaths.releaseBundle(a.payload.name, '1.0')}?format=jws`), 404, 'EDP_BUNDLE_UNKNOWN');
        const { bundles } = (await t.http('GET', '/artifactory/api/release/bundles')).json() as { bundles: Record<string, unknown> };
        expect(bundles[a.payload.name]).toBeUndefined();
        expect(bundles[b.payload.name]).toHaveLength(1);
      });
      if (t.edge.dataDir) {
        await t.step('no blob holds its own content any more', async () => {
          const { blobs } = (await snapshot(t)) as { blobs: string[] };
          expect(blobs.filter((blob) => blob.endsWith(sha256(own.bytes)))).toEqual([]);
        });
      }
      await t.step('deleting it again', async () => expectEdpError(await remove(t, a), 404, 'EDP_BUNDLE_UNKNOWN'));
      await t.step('deleting the other bundle removes the shared file', async () => {
        expect((await remove(t, b)).status).toBe(204);
        expect((await get(shared)).status).toBe(404);
      });
    },
  }),
];
