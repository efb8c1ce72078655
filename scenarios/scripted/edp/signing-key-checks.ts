import { setTimeout as delay } from 'node:timers/promises';
import { readPrivateKey, reformatKey } from 'openpgp';
import { readSigningKey, signBundle, type SigningKey } from '../../../protocol/bundle/index.ts';
import { commit, payloadOf, signingKey, uploadFile, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { edgeClockOffset } from '../../kit/edge-clock.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { throwawayKey, untrustAtEnd } from '../../kit/signing-keys.ts';
import { bundleTarget, freshFile, open, refusalSeries, statusOf } from '../../kit/transactions.ts';

/**
 * EDP-SIG-5, EDP-SIG-6, EDP-TX-8: which trusted key verifies a bundle, and when it must still be
 * valid. These scenarios add keys to the Edge's trust for a while (needs `trust-changes`).
 */

/** Trusts `armored` under a run-unique alias until the scenario ends. */
async function trustForNow(t: ScenarioContext, base: string, armored: string): Promise<void> {
  const { kid } = await t.clients().edp.trustKey(t.name(base), armored);
  untrustAtEnd(t, kid);
}

/** How long the expiring key lives, in seconds: long enough to trust it and open a transaction. */
const LIFETIME_SECS = 6;

export const signingKeyCheckScenarios = [
  scenario({
    id: 'edp/key-chosen-by-kid-alone',
    title: 'with two keys trusted, each bundle is verified with the key its kid names and no other',
    requirements: ['EDP-SIG-5', 'EDP-SIG-7'],
    needs: ['trust-changes'],
    async run(t) {
      const repo = await bundleTarget(t, 'edp-kids');
      const { signing: second, armoredPublic } = await throwawayKey('edp-second');
      await t.step('trust a second key', () => trustForNow(t, 'edp-second-key', armoredPublic));
      const first = await signingKey(t);
      const payload = payloadOf(t.name('kids'), '1.0', [freshFile(t, `${repo}/kids/file.bin`)]);
      const refused = await refusalSeries(t);
      await t.step("the second key's kid over the first key's signature", async () =>
        refused.start(await signBundle(payload, { kid: second.kid, jwk: first.jwk }), 403, 'EDP_BAD_SIGNATURE'),
      );
      await t.step("the first key's kid over the second key's signature", async () =>
        refused.start(await signBundle(payload, { kid: first.kid, jwk: second.jwk }), 403, 'EDP_BAD_SIGNATURE'),
      );
      await t.step('the second key under its own kid is accepted', async () => open(t, { payload, jws: await signBundle(payload, second), files: [] }));
    },
  }),

  scenario({
    id: 'edp/key-expiry-at-start-and-commit',
    title: 'a trusted key past its expiry stops the commit of a transaction it opened, and any new start, with 403 EDP_KEY_EXPIRED',
    requirements: ['EDP-SIG-6', 'EDP-SIG-23', 'EDP-TX-8'],
    needs: ['trust-changes'],
    async run(t) {
      const repo = await bundleTarget(t, 'edp-expiring');
      const made = await throwawayKey('edp-expiring');
      // Signed anew (same key material, so the same kid) as created a second ago by the Edge's
      // clock and expiring LIFETIME_SECS after that: the wait starts only now.
      const offset = await edgeClockOffset(t);
      const created = Math.floor((Date.now() + offset) / 1000) * 1000 - 1000;
      const expiring = await reformatKey({
        privateKey: await readPrivateKey({ armoredKey: made.armoredPrivate }),
        userIDs: [{ name: 'edgeproof expiring', email: 'expiring@edgeproof.test' }],
        keyExpirationTime: LIFETIME_SECS,
        date: new Date(created),
        format: 'armored',
      });
      const key: SigningKey = await readSigningKey(expiring.privateKey);
      await t.step('trust the key while it is valid', () => trustForNow(t, 'edp-expiring-key', expiring.publicKey));

      const file: BundleFile = freshFile(t, `${repo}/expiring/file.bin`);
      const payload = payloadOf(t.name('expiring'), '1.0', [file]);
      const opened = await t.step('open a transaction and send its file while the key is valid', async () => {
        const tx = await open(t, { payload, jws: await signBundle(payload, key), files: [file] });
        expect((await uploadFile(t, tx.id, file)).status).toBe(201);
        return tx;
      });

      const expiresAt = created + LIFETIME_SECS * 1000;
      await t.step('wait until the key has expired by the Edge clock', () => delay(Math.max(0, expiresAt + 1500 - (Date.now() + offset))));
      const refused = await refusalSeries(t);
      await t.step('the commit re-checks the key', () => refused.send(() => commit(t, opened.id), 403, 'EDP_KEY_EXPIRED'));
      expect((await statusOf(t, opened.id)).state, 'the refused commit leaves the transaction OPEN').toBe('OPEN');
      const later = payloadOf(t.name('expiring'), '1.0', [freshFile(t, `${repo}/expiring/later.bin`)]);
      await t.step('a new bundle signed with the expired key', async () => refused.start(await signBundle(later, key), 403, 'EDP_KEY_EXPIRED'));
      await t.step("validity before the signature: another key's signature under the expired kid", async () =>
        refused.start(await signBundle(later, { kid: key.kid, jwk: (await signingKey(t)).jwk }), 403, 'EDP_KEY_EXPIRED'),
      );
    },
  }),
];
