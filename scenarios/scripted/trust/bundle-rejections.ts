import { createHmac } from 'node:crypto';
import { CompactSign, importJWK } from 'jose';
import { readPublicKey, signBundle, type SigningKey } from '../../../protocol/bundle/index.ts';
import { TRUSTED_KEYS, edpPaths } from '../../../protocol/wire/edp.ts';
import { expectError, expectRefusedUnchanged, valueOrStatus } from '../../kit/assertions.ts';
import { commit, payloadOf, signedBundle, signingKey, start, uploadFile, type BundleFile, type SignedBundle } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { throwawayKey, untrustAtEnd } from '../../kit/signing-keys.ts';
import { localRepo } from '../../kit/world.ts';

/**
 * Bundles whose signer the Edge must not believe: a key it does not trust, a key that expired,
 * a signature made with another algorithm, and a key removed while the transaction was open.
 * Each is refused with its code and publishes nothing.
 */

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** One file in a fresh local repository, and a run-unique bundle name. */
async function bundleSetting(t: ScenarioContext, base: string): Promise<{ name: string; files: BundleFile[] }> {
  const repo = await localRepo(t, 'trust-local');
  const name = t.name(base);
  return { name, files: [{ repoPath: `${repo}/${name}/file.bin`, bytes: Buffer.from(`bytes of ${name}`) }] };
}

/** EDP-SIG-5's refusal of `kid`, as the Edge words it. */
const untrustedKey = (kid: string): [string, { kid: string }] => [`bundle is signed with key ${kid}, which is not a trusted signing key`, { kid }];

/** Signs `payload` with `key`'s RSA material under another JWS algorithm. */
async function signAs(alg: string, payload: unknown, key: SigningKey): Promise<string> {
  const privateKey = await importJWK(key.jwk, alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg, kid: key.kid }).sign(privateKey);
}

export const bundleRejectionScenarios = [
  scenario({
    id: 'trust/untrusted-signing-key',
    title: 'a bundle signed by a key the Edge does not trust is refused at start with 403 EDP_UNTRUSTED_KEY, and nothing changes',
    requirements: ['EDP-SIG-5'],
    async run(t) {
      await t.installTrust();
      const { name, files } = await bundleSetting(t, 'untrusted');
      const bundle = await signedBundle(t, name, '1.0', files, { key: 'untrusted-signing' });
      const { kid } = await readPublicKey(t.material.publicKey('untrusted-signing'), Date.now());
      await expectRefusedUnchanged(t, () => start(t, bundle.jws), 403, 'EDP_UNTRUSTED_KEY', ...untrustedKey(kid));
    },
  }),
  scenario({
    id: 'trust/expired-signing-key',
    title: 'the expired fixture key is refused as a trusted key (400 KEY_INVALID), and a bundle signed by it is refused at start',
    requirements: ['EDP-KEY-3', 'EDP-SIG-5'],
    needs: ['trust-changes'],
    async run(t) {
      const armored = t.material.publicKey('expired-signing');
      const { kid } = await readPublicKey(armored, Date.now());
      untrustAtEnd(t, kid);
      const before = await t.clients().edp.trustedKeys();
      const added = await t.http('POST', TRUSTED_KEYS, { json: { alias: t.name('expired'), public_key: armored } });
      expectError(added, 400, 'KEY_INVALID', `key ${kid} expired at 2020-01-02T00:00:00.000Z`);
      expect(await t.clients().edp.trustedKeys()).toEqual(before);

      const { name, files } = await bundleSetting(t, 'expired');
      const bundle = await signedBundle(t, name, '1.0', files, { key: 'expired-signing' });
      await expectRefusedUnchanged(t, () => start(t, bundle.jws), 403, 'EDP_UNTRUSTED_KEY', ...untrustedKey(kid));
    },
  }),
  scenario({
    id: 'trust/bundle-algorithm-confusion',
    title: "bundles under the trusted key's kid with alg none, HMAC keyed with its public key, or another RSA algorithm are refused with 403 EDP_BAD_SIGNATURE",
    requirements: ['EDP-SIG-2'],
    async run(t) {
      await t.installTrust();
      const { name, files } = await bundleSetting(t, 'confusion');
      const trusted = await signingKey(t);
      const publicKey = t.material.publicKey('bundle-signing');
      const payload = b64(JSON.stringify(payloadOf(name, '1.0', files)));
      const hmac = (alg: string, hash: string) => {
        const header = b64(JSON.stringify({ alg, kid: trusted.kid }));
        return `${header}.${payload}.${createHmac(hash, publicKey).update(`${header}.${payload}`).digest('base64url')}`;
      };
      const forgeries: [string, string, () => Promise<string>][] = [
        ['alg none, unsigned', 'none', async () => `${b64(JSON.stringify({ alg: 'none', kid: trusted.kid }))}.${payload}.`],
        ['HS256 keyed with the trusted public key', 'HS256', async () => hmac('HS256', 'sha256')],
        ['HS512 keyed with the trusted public key', 'HS512', async () => hmac('HS512', 'sha512')],
        ['PS256 signed with the trusted key', 'PS256', () => signAs('PS256', payloadOf(name, '1.0', files), trusted)],
        ['RS512 signed with the trusted key', 'RS512', () => signAs('RS512', payloadOf(name, '1.0', files), trusted)],
      ];
      for (const [what, alg, forge] of forgeries) {
        await t.step(what, async () => {
          const message = `JWS algorithm "${alg}" is not accepted; bundles must be signed with RS256`;
          await expectRefusedUnchanged(t, async () => start(t, await forge()), 403, 'EDP_BAD_SIGNATURE', message, { alg });
        });
      }
      // The same payload signed RS256 with that key starts: only the algorithm was wrong.
      const good = await start(t, await signBundle(payloadOf(name, '1.0', files), trusted));
      expect(good.status, good.text).toBe(201);
      const id = (good.json() as { id: string }).id;
      t.defer(() => valueOrStatus(() => t.clients().edp.abort(id)));
    },
  }),
  scenario({
    id: 'trust/key-removed-mid-transaction',
    title: 'a signing key removed between start and commit stops the commit with 403 EDP_UNTRUSTED_KEY: nothing is published, the transaction stays open',
    requirements: ['EDP-KEY-7', 'EDP-TX-8'],
    needs: ['trust-changes'],
    async run(t) {
      const key = await throwawayKey('removed');
      untrustAtEnd(t, key.signing.kid);
      const { name, files } = await bundleSetting(t, 'removed-key');
      const payload = payloadOf(name, '1.0', files);
      const bundle: SignedBundle = { payload, jws: await signBundle(payload, key.signing), files };
      const { edp } = t.clients();

      const id = await t.step('trust the key, start and upload every file', async () => {
        expect((await edp.trustKey(t.name('to-remove'), key.armoredPublic)).kid).toBe(key.signing.kid);
        const started = await start(t, bundle.jws);
        expect(started.status, started.text).toBe(201);
        const txId = (started.json() as { id: string }).id;
        t.defer(() => valueOrStatus(() => edp.abort(txId)));
        for (const file of files) expect((await uploadFile(t, txId, file)).status).toBe(201);
        return txId;
      });

      await t.step('remove the key', async () => expect((await t.http('DELETE', edpPaths.trustedKey(key.signing.kid))).status).toBe(204));

      await t.step('the commit is refused and publishes nothing', async () => {
        await expectRefusedUnchanged(t, () => commit(t, id), 403, 'EDP_UNTRUSTED_KEY', ...untrustedKey(key.signing.kid));
        for (const file of files) expect((await t.http('GET', `/artifactory/${file.repoPath}`)).status).toBe(404);
        expect(await edp.status(id)).toMatchObject({ state: 'OPEN' });
      });

      await t.step('the key can start no transaction either', async () => {
        const again = { ...bundle, jws: await signBundle(payloadOf(t.name('removed-key'), '1.0', files), key.signing) };
        await expectRefusedUnchanged(t, () => start(t, again.jws), 403, 'EDP_UNTRUSTED_KEY', ...untrustedKey(key.signing.kid));
      });
    },
  }),
];
