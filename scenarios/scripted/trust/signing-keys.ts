import { readPublicKey } from '../../../protocol/bundle/index.ts';
import { TRUSTED_KEYS, edpPaths } from '../../../protocol/wire/edp.ts';
import { expectError } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { expectedListing, revokedPublicKey, throwawayKey, untrustAtEnd } from '../../kit/signing-keys.ts';
import { user } from '../../kit/world.ts';

/** The trusted signing keys API (docs/protocol.md §5): JFrog's shape, its refusals, who may use it. */

const add = (t: ScenarioContext, body: unknown) => t.http('POST', TRUSTED_KEYS, { json: body });
const keys = (t: ScenarioContext) => t.clients().edp.trustedKeys();

export const signingKeyScenarios = [
  scenario({
    id: 'trust/signing-key-added-listed-removed',
    title: "a key is added under `public_key` or `key` (201, JFrog's fields), listed, and removed (204); an unknown kid then gets 404",
    requirements: ['EDP-KEY-2', 'EDP-KEY-6', 'EDP-KEY-7'],
    needs: ['trust-changes'],
    async run(t) {
      const [expiring, lasting] = await Promise.all([throwawayKey('expiring', { expiresInSecs: 30 * 24 * 3600 }), throwawayKey('lasting')]);
      const expiringAlias = t.name('expiring');
      const lastingAlias = t.name('lasting');
      untrustAtEnd(t, expiring.signing.kid);
      untrustAtEnd(t, lasting.signing.kid);
      const expected = [await expectedListing(expiringAlias, expiring.armoredPublic), await expectedListing(lastingAlias, lasting.armoredPublic)];
      expect(expected[0]?.expiry).toBeGreaterThan(0);
      expect(expected[1]?.expiry).toBe(0);

      const viaPublicKey = await add(t, { alias: expiringAlias, public_key: expiring.armoredPublic });
      expect(viaPublicKey.status, viaPublicKey.text).toBe(201);
      expect(viaPublicKey.json()).toEqual(expected[0]);
      const viaKey = await add(t, { alias: lastingAlias, key: lasting.armoredPublic });
      expect(viaKey.status, viaKey.text).toBe(201);
      expect(viaKey.json()).toEqual(expected[1]);
      expect((await t.http('GET', TRUSTED_KEYS)).json()).toEqual({ keys: expect.arrayContaining(expected) });

      for (const { kid } of expected) {
        const removed = await t.http('DELETE', edpPaths.trustedKey(kid));
        expect(removed.status).toBe(204);
        expect(removed.text).toBe('');
        expect((await keys(t)).map((k) => k.kid)).not.toContain(kid);
        expectError(await t.http('DELETE', edpPaths.trustedKey(kid)), 404, 'KEY_UNKNOWN', `No trusted key with kid ${kid}.`);
      }
    },
  }),
  scenario({
    id: 'trust/signing-key-fixture-listed',
    title: "the fixture signing key the harness trusts is listed in JFrog's shape",
    requirements: ['EDP-KEY-2', 'EDP-KEY-6'],
    async run(t) {
      await t.installTrust();
      const armored = t.material.publicKey('bundle-signing');
      const { kid } = await readPublicKey(armored, Date.now());
      const listed = (await keys(t)).find((k) => k.kid === kid);
      expect(listed, `no trusted key ${kid}`).toBeDefined();
      expect(listed).toEqual(await expectedListing(listed?.alias ?? '', armored));
      expect(listed).toMatchObject({ type: 'PGP', expiry: 0, issuedBy: expect.stringContaining('<bundle-signing@edgeproof.test>') });
      expect(String(listed?.fingerprint)).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    },
  }),
  scenario({
    id: 'trust/signing-key-refusals',
    title: 'keys that cannot vouch for a bundle are refused with 400 KEY_INVALID naming the reason, and nothing is trusted',
    requirements: ['EDP-KEY-3', 'EDP-KEY-4'],
    needs: ['trust-changes'],
    async run(t) {
      const [revoked, spare] = await Promise.all([revokedPublicKey(), throwawayKey('spare')]);
      const cases: [string, unknown, RegExp][] = [
        ['RSA-1024', { public_key: t.material.publicKey('weak-rsa1024') }, /^key [0-9a-f]{16} is RSA-1024; at least 2048 bits are required$/],
        ['ed25519', { public_key: t.material.publicKey('ed25519-signing') }, /^key [0-9a-f]{16} is \w+, not an RSA signing key/],
        ['expired', { public_key: t.material.publicKey('expired-signing') }, /^key 2e7888efa4baf023 expired at 2020-01-02T00:00:00\.000Z$/],
        ['revoked', { public_key: revoked }, /^key [0-9a-f]{16} is revoked$/],
        ['not a key', { public_key: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----' }, /^not an OpenPGP public key/],
        ['a private key', { public_key: t.material.secretKey('untrusted-signing') }, /is a private key/],
        ['two keys in one block', { key: `${spare.armoredPublic}\n${t.material.publicKey('untrusted-signing')}` }, /expected one armored block, found several/],
      ];
      const before = await keys(t);
      for (const [what, body, message] of cases) {
        await t.step(what, async () => expectError(await add(t, { alias: t.name('refused'), ...(body as object) }), 400, 'KEY_INVALID', message));
      }
      const missing = await add(t, { alias: t.name('nothing') });
      expect(missing.status).toBe(400);
      expect(missing.json()).toMatchObject({ errors: [{ status: 400, code: 'INVALID_BODY' }] });
      expect(await keys(t)).toEqual(before);
    },
  }),
  scenario({
    id: 'trust/signing-key-duplicates',
    title: 'an alias or a key already trusted is refused with 409 KEY_DUPLICATE, and nothing changes',
    requirements: ['EDP-KEY-5'],
    needs: ['trust-changes'],
    async run(t) {
      await t.installTrust();
      const armored = t.material.publicKey('bundle-signing');
      const { kid } = await readPublicKey(armored, Date.now());
      const trusted = (await keys(t)).find((k) => k.kid === kid);
      expect(trusted, `no trusted key ${kid}`).toBeDefined();
      const before = await keys(t);
      const duplicates: [string, unknown][] = [
        ['its alias for another key', { alias: trusted?.alias, public_key: t.material.publicKey('untrusted-signing') }],
        ['its key under another alias', { alias: t.name('same-key-again'), public_key: armored }],
      ];
      for (const [what, body] of duplicates) {
        await t.step(what, async () => {
          const res = await add(t, body);
          expect(res.status, res.text).toBe(409);
          expect(res.json()).toMatchObject({ errors: [{ status: 409, code: 'KEY_DUPLICATE' }] });
        });
      }
      expect(await keys(t)).toEqual(before);
    },
  }),
  scenario({
    id: 'trust/signing-key-unknown',
    title: 'removing a kid that is not trusted gets 404 KEY_UNKNOWN',
    requirements: ['EDP-KEY-7'],
    async run(t) {
      const before = await keys(t);
      expectError(await t.http('DELETE', edpPaths.trustedKey('0123456789abcdef')), 404, 'KEY_UNKNOWN', 'No trusted key with kid 0123456789abcdef.');
      expect(await keys(t)).toEqual(before);
    },
  }),
  scenario({
    id: 'trust/signing-keys-admins-only',
    title: 'listing, adding and removing trusted keys is refused without credentials (401) and to a user (403)',
    requirements: ['EDP-KEY-1'],
    async run(t) {
      const reader = await user(t, 'reader');
      const before = await keys(t);
      const body = { alias: t.name('sneaky'), public_key: t.material.publicKey('untrusted-signing') };
      const { kid } = await readPublicKey(body.public_key, Date.now());
      for (const [method, path, json] of [
        ['GET', TRUSTED_KEYS, undefined],
        ['POST', TRUSTED_KEYS, body],
        ['DELETE', edpPaths.trustedKey(kid), undefined],
      ] as const) {
        await t.step(method, async () => {
          expectError(await t.http(method, path, { auth: null, json }), 401, 'UNAUTHENTICATED', 'Authentication is required');
          expectError(await t.http(method, path, { auth: reader.auth, json }), 403, 'FORBIDDEN', 'This operation requires an admin user.');
        });
      }
      expect(await keys(t)).toEqual(before);
    },
  }),
];
