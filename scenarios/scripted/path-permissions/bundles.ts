import { RELEASE_BUNDLES } from '../../../protocol/wire/edp.ts';
import { expectError, expectStatus, withoutRequestId } from '../../kit/assertions.ts';
import { distribute, signedBundle } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { localRepo, permission, user } from '../../kit/world.ts';

/**
 * EDGE-AUTH-5 for release bundles: a bundle, in the list, as JSON and as JWS, is shown only to
 * a caller who may read every file of it; to others it answers 404 EDP_BUNDLE_UNKNOWN exactly
 * as a bundle that does not exist.
 */

const bundleNames = (res: RawResponse) => Object.keys((res.json() as { bundles: Record<string, unknown> }).bundles);

export const bundleVisibilityScenarios = [
  scenario({
    id: 'path-permissions/bundle-shown-to-readers-of-every-file',
    title: 'a release bundle is listed and shown, as JSON and as JWS, only to callers who may read every file of it',
    requirements: ['EDGE-AUTH-5'],
    async run(t) {
      await t.installTrust();
      const repo = await localRepo(t, 'bundle-target');
      const name = t.name('visible-bundle');
      const bundle = await signedBundle(t, name, '1.0', [
        { repoPath: `${repo}/pub/a.bin`, bytes: Buffer.from(`public file of ${name}\n`) },
        { repoPath: `${repo}/secret/b.bin`, bytes: Buffer.from(`secret file of ${name}\n`) },
      ]);
      await distribute(t, bundle);
      const everything = await user(t, 'reads-all');
      const partly = await user(t, 'reads-part');
      await permission(t, 'reads-all', { repositories: [repo], users: { [everything.name]: ['read'] } });
      await permission(t, 'reads-part', { repositories: [repo], exclude: ['secret/**'], users: { [partly.name]: ['read'] } });
      const views = [`${RELEASE_BUNDLES}/${name}/1.0`, `${RELEASE_BUNDLES}/${name}/1.0?format=jws`];

      await t.step('the admin and a reader of every file see it', async () => {
        for (const auth of [t.edge.admin, everything.auth]) {
          expect(bundleNames(await expectStatus(t.http('GET', RELEASE_BUNDLES, { auth }), 200))).toContain(name);
          for (const view of views) await expectStatus(t.http('GET', view, { auth }), 200);
        }
      });
      await t.step('a reader of only some of its files does not', async () => {
        expect(bundleNames(await expectStatus(t.http('GET', RELEASE_BUNDLES, { auth: partly.auth }), 200))).not.toContain(name);
        const unknown = t.name('no-such-bundle');
        for (const view of views) {
          const res = await t.http('GET', view, { auth: partly.auth });
          const absent = await t.http('GET', view.replace(name, unknown), { auth: partly.auth });
          expectError(res, 404, 'EDP_BUNDLE_UNKNOWN', /.+/);
          expect(withoutRequestId(res).replace(name, unknown)).toBe(withoutRequestId(absent));
        }
      });
    },
  }),
];
