import { signBundle } from '../../../protocol/bundle/index.ts';
import { edpPaths } from '../../../protocol/wire/edp.ts';
import { distribute, payloadOf, sha256, signedBundle, signingKey, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { distributionForm } from '../../kit/jws.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, expectEdpError, freshFile } from '../../kit/transactions.ts';
import { permission, user } from '../../kit/world.ts';

/**
 * EDP-PUB-6 … EDP-PUB-8, EDP-SIG-22: the release bundle reads, JFrog-shaped: the list, the JSON
 * view with exactly JFrog's members, and the JWS exactly as received; each only to readers of
 * every file of the bundle.
 */

const view = (t: ScenarioContext, name: string, version: string, auth?: string, format = '') =>
  t.http('GET', `${edpPaths.releaseBundle(name, version)}${format}`, auth === undefined ? {} : { auth });

export const bundleReadScenarios = [
  scenario({
    id: 'edp/bundle-views',
    title: "a committed bundle reads as JFrog's members only, props always, unknown members kept out; ?format=jws is the JWS as received",
    requirements: ['EDP-PUB-6', 'EDP-PUB-7', 'EDP-PUB-8', 'EDP-SIG-22', 'EDP-SIG-1'],
    async run(t) {
      const repo = await bundleTarget(t);
      const file: BundleFile = { ...freshFile(t, `${repo}/view/tool.bin`), props: [{ key: 'k', values: ['v'] }] };
      const plain = payloadOf(t.name('view'), '1.0', [file]);
      const signedPayload = {
        id: 4242,
        ...plain,
        release_notes: { syntax: 'markdown', content: '# 1.0', rendered: '<h1>1.0</h1>' },
        signature: 'jfrog-signature',
        artifacts: plain.artifacts.map((a) => ({ ...a, download_token: 'secret-download-token', props: [{ key: 'k', values: ['v'], scope: 'x' }] })),
      };
      const jws = await signBundle(new TextEncoder().encode(JSON.stringify(signedPayload)), await signingKey(t));
      await t.step("distribute it in Distribution's JSON form", async () => {
        const { edp } = t.clients();
        const { transaction } = await edp.start({ bundle: distributionForm(jws) });
        await edp.uploadFile(transaction.id, file.repoPath, file.bytes, { sha256: sha256(file.bytes) });
        await edp.commit(transaction.id);
        t.defer(() => edp.deleteBundle(plain.name, '1.0'));
      });
      const expected = {
        name: plain.name,
        version: '1.0',
        description: plain.description,
        release_notes: { syntax: 'markdown', content: '# 1.0' },
        created: plain.created,
        artifacts: [{ repo_path: file.repoPath, checksum: sha256(file.bytes), props: [{ key: 'k', values: ['v'] }] }],
      };
      await t.step('the JSON view', async () => {
        const res = await view(t, plain.name, '1.0');
        expect(res.status, res.text).toBe(200);
        expect(res.json()).toEqual(expected);
        for (const secret of ['secret-download-token', 'jfrog-signature', '4242', 'rendered', 'release_bundle_v1']) expect(res.text).not.toContain(secret);
        expect((await view(t, plain.name, '1.0', undefined, '?format=json')).json()).toEqual(expected);
      });
      await t.step('the JWS, compact, exactly as signed', async () => {
        const res = await view(t, plain.name, '1.0', undefined, '?format=jws');
        expect(res.status).toBe(200);
        expect(res.text).toBe(jws);
      });
      await t.step('the list', async () => {
        const { bundles } = (await t.http('GET', '/artifactory/api/release/bundles')).json() as { bundles: Record<string, unknown> };
        expect(bundles[plain.name]).toEqual([{ version: '1.0', created: plain.created, status: 'COMPLETE', keep: false }]);
      });
      await t.step('a bundle without description, release notes or props', async () => {
        const bare = freshFile(t, `${repo}/view/bare.bin`);
        const payload = { ...payloadOf(t.name('bare'), '2.0', [bare]) } as Record<string, unknown>;
        delete payload.description;
        await distribute(t, { payload: payload as never, jws: await signBundle(payload as never, await signingKey(t)), files: [bare] });
        const res = await view(t, String(payload.name), '2.0');
        expect(res.json()).toEqual({
          name: payload.name,
          version: '2.0',
          created: payload.created,
          artifacts: [{ repo_path: bare.repoPath, checksum: sha256(bare.bytes), props: [] }],
        });
      });
      await t.step('an unknown name/version', async () => {
        expectEdpError(await view(t, plain.name, '9.9'), 404, 'EDP_BUNDLE_UNKNOWN');
        expectEdpError(await view(t, t.name('nothing'), '1.0', undefined, '?format=jws'), 404, 'EDP_BUNDLE_UNKNOWN');
      });
    },
  }),

  scenario({
    id: 'edp/bundle-reads-follow-permissions',
    title: 'a bundle is listed and read only by those who may read every one of its files',
    requirements: ['EDP-PUB-6', 'EDP-PUB-7', 'EDP-PUB-8', 'EDGE-AUTH-5'],
    async run(t) {
      const repo = await bundleTarget(t);
      const files = [freshFile(t, `${repo}/guarded/public.bin`), freshFile(t, `${repo}/guarded/secret/key.bin`)];
      const bundle = await signedBundle(t, t.name('guarded'), '1.0', files);
      await distribute(t, bundle);
      const all = await user(t, 'edp-all');
      const partial = await user(t, 'edp-partial');
      const none = await user(t, 'edp-none');
      await permission(t, 'edp-all', { repositories: [repo], users: { [all.name]: ['read'] } });
      await permission(t, 'edp-partial', { repositories: [repo], users: { [partial.name]: ['read'] }, exclude: ['guarded/secret/**'] });
      const { name } = bundle.payload;
      const listed = async (auth: string) =>
        ((await t.http('GET', '/artifactory/api/release/bundles', { auth })).json() as { bundles: Record<string, unknown> }).bundles[name];
      await t.step('a reader of every file', async () => {
        expect(await listed(all.auth)).toEqual([{ version: '1.0', created: bundle.payload.created, status: 'COMPLETE', keep: false }]);
        expect((await view(t, name, '1.0', all.auth)).status).toBe(200);
        expect((await view(t, name, '1.0', all.auth, '?format=jws')).text).toBe(bundle.jws);
      });
      for (const [who, reader] of [
        ['a reader of some of the files', partial],
        ['a user who may read none', none],
      ] as const) {
        await t.step(who, async () => {
          expect(await listed(reader.auth)).toBeUndefined();
          expectEdpError(await view(t, name, '1.0', reader.auth), 404, 'EDP_BUNDLE_UNKNOWN');
          expectEdpError(await view(t, name, '1.0', reader.auth, '?format=jws'), 404, 'EDP_BUNDLE_UNKNOWN');
        });
      }
    },
  }),
];
