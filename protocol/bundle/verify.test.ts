import { refusal } from './__fixtures__/refusal.ts';
import { createHash, createPublicKey, verify as rsaVerify } from 'node:crypto';
import fc from 'fast-check';
import { CompactSign, importJWK } from 'jose';
import { readKey } from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors.ts';
import { fixtureKeyPair, generatedKeyPair, NOW, revokedKeyPair, type KeyPair } from './__fixtures__/keys.ts';
import { LIMITS, payloadBytes, samplePayload } from './__fixtures__/payloads.ts';
import { fixturePublicKey, type FixtureKeyName } from '../../fixtures/keys/index.ts';
import { readPublicKey, type PublicKeyInfo } from './keys.ts';
import { signBundle } from './sign.ts';
import { verifyBundle, type TrustedKeyLike } from './verify.ts';

const OPTS = { now: NOW, ...LIMITS };
const EXPIRED_AT = Date.UTC(2020, 0, 2);

/** A trust store that records every kid it is asked for. */
function trustStore(...keys: PublicKeyInfo[]) {
  const lookups: string[] = [];
  const byKid = new Map<string, TrustedKeyLike>(keys.map((key) => [key.kid, key]));
  return {
    lookups,
    resolve: (kid: string) => {
      lookups.push(kid);
      return byKid.get(kid);
    },
  };
}

const refused = (run: () => Promise<unknown>) => refusal(run, 'bundle was accepted');

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const segments = (jws: string) => jws.split('.') as [string, string, string];

let trusted: KeyPair;
let untrusted: KeyPair;
let good: string;

beforeAll(async () => {
  trusted = await fixtureKeyPair('bundle-signing');
  untrusted = await fixtureKeyPair('untrusted-signing');
  good = await signBundle(samplePayload(), trusted.signing);
});

describe('verifyBundle', () => {
  describe('with a good bundle', () => {
    it('verifies a bundle signed with the gpg-made key and returns exactly what was signed', async () => {
      const store = trustStore(trusted.publicInfo);
      const verified = await verifyBundle(good, store.resolve, OPTS);
      const bytes = payloadBytes(samplePayload());
      expect(verified.header).toEqual({ alg: 'RS256', kid: trusted.publicInfo.kid });
      expect(verified.payload).toEqual(samplePayload());
      expect(verified.payloadBytes).toEqual(bytes);
      expect(verified.payloadSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(verified.jws).toBe(good);
    });

    it('signs with the header exactly {"alg":"RS256","kid":…}', () => {
      const [header] = segments(good);
      expect(Buffer.from(header, 'base64url').toString()).toBe(`{"alg":"RS256","kid":"${trusted.publicInfo.kid}"}`);
    });

    it('produces a plain RSASSA-PKCS1-v1_5 SHA-256 signature that node:crypto verifies too', () => {
      const [header, payload, signature] = segments(good);
      const key = createPublicKey({ key: { ...trusted.publicInfo.jwk }, format: 'jwk' });
      const ok = rsaVerify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
      expect(ok).toBe(true);
    });

    it('verifies a JWS made by jose with a fresh openpgp.js v4 key, without gpg', async () => {
      const generated = await generatedKeyPair();
      expect((await readKey({ armoredKey: generated.armoredPublic })).keyPacket.version).toBe(4);
      const jws = await new CompactSign(payloadBytes(samplePayload()))
        .setProtectedHeader({ alg: 'RS256', kid: generated.signing.kid })
        .sign(await importJWK(generated.signing.jwk, 'RS256'));
      const verified = await verifyBundle(jws, trustStore(generated.publicInfo).resolve, OPTS);
      expect(verified.payload.name).toBe('edgeproof-app');
    });

    it("accepts Distribution's JSON form and returns the compact JWS (EDP-SIG-1)", async () => {
      const [header, payload, signature] = segments(good);
      const json = JSON.stringify({ header, payload, signature });
      const verified = await verifyBundle(json, trustStore(trusted.publicInfo).resolve, OPTS);
      expect(verified.jws).toBe(good);
    });

    it('keeps the exact signed bytes, never a re-serialisation (EDP-SIG-8)', async () => {
      const text = `{\n  "x-future": {"a": [1, 2.50]},\n${JSON.stringify(samplePayload(), null, 4).slice(1)}`;
      const bytes = new TextEncoder().encode(text);
      const verified = await verifyBundle(await signBundle(bytes, trusted.signing), trustStore(trusted.publicInfo).resolve, OPTS);
      expect(Buffer.from(verified.payloadBytes).toString()).toBe(text);
      expect(verified.payloadSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(verified.payload).toEqual(samplePayload());
    });

    it('asks the trust store for the header kid only, once (EDP-SIG-5)', async () => {
      const store = trustStore(untrusted.publicInfo, trusted.publicInfo);
      await verifyBundle(good, store.resolve, OPTS);
      expect(store.lookups).toEqual([trusted.publicInfo.kid]);
    });

    it('accepts an asynchronous trust store', async () => {
      const store = trustStore(trusted.publicInfo);
      await expect(verifyBundle(good, async (kid) => store.resolve(kid), OPTS)).resolves.toBeDefined();
    });
  });

  describe('refuses a bundle that differs from the good one in one respect', () => {
    async function expectRefusal(
      jws: string,
      code: ErrorCode,
      message: string | RegExp,
      store = trustStore(trusted.publicInfo),
      opts = OPTS,
    ): Promise<{ lookups: string[] }> {
      const err = await refused(() => verifyBundle(jws, store.resolve, opts));
      expect(err.code).toBe(code);
      if (typeof message === 'string') expect(err.message).toBe(message);
      else expect(err.message).toMatch(message);
      return store;
    }

    it('unknown kid: the trust store does not hold the key (EDP-SIG-5)', async () => {
      await expectRefusal(
        good,
        'EDP_UNTRUSTED_KEY',
        `bundle is signed with key ${trusted.publicInfo.kid}, which is not a trusted signing key`,
        trustStore(untrusted.publicInfo),
      );
    });

    it('signer: signed by an untrusted key under its own kid (EDP-SIG-5)', async () => {
      const jws = await signBundle(samplePayload(), untrusted.signing);
      await expectRefusal(jws, 'EDP_UNTRUSTED_KEY', `bundle is signed with key ${untrusted.publicInfo.kid}, which is not a trusted signing key`);
    });

    it('wrong key: signed by another key under the trusted kid, and no other key is tried (EDP-SIG-7)', async () => {
      const jws = await signBundle(samplePayload(), { kid: trusted.signing.kid, jwk: untrusted.signing.jwk });
      const store = await expectRefusal(
        jws,
        'EDP_BAD_SIGNATURE',
        `bundle signature does not verify with key ${trusted.publicInfo.kid}`,
        trustStore(trusted.publicInfo, untrusted.publicInfo),
      );
      expect(store.lookups).toEqual([trusted.publicInfo.kid]);
    });

    it('alg none with an empty signature, refused before any key lookup (EDP-SIG-2)', async () => {
      const [, payload] = segments(good);
      const header = b64(JSON.stringify({ alg: 'none', kid: trusted.publicInfo.kid }));
      const store = await expectRefusal(
        `${header}.${payload}.`,
        'EDP_BAD_SIGNATURE',
        'JWS algorithm "none" is not accepted; bundles must be signed with RS256',
      );
      expect(store.lookups).toEqual([]);
    });

    it.each([
      ['the armored public key', () => new TextEncoder().encode(trusted.armoredPublic)],
      ['the SPKI PEM of the public key', () => createPublicKey({ key: { ...trusted.publicInfo.jwk }, format: 'jwk' }).export({ type: 'spki', format: 'pem' })],
      ['the JWK modulus', () => Buffer.from(trusted.publicInfo.jwk?.n ?? '', 'base64url')],
    ])('HS256 keyed with %s (key confusion), refused before any key lookup (EDP-SIG-2)', async (_label, secret) => {
      const bytes = secret();
      const jws = await new CompactSign(payloadBytes(samplePayload()))
        .setProtectedHeader({ alg: 'HS256', kid: trusted.publicInfo.kid })
        .sign(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : new Uint8Array(bytes));
      const store = await expectRefusal(jws, 'EDP_BAD_SIGNATURE', 'JWS algorithm "HS256" is not accepted; bundles must be signed with RS256');
      expect(store.lookups).toEqual([]);
    });

    it('RS512 signed with the trusted key (EDP-SIG-2)', async () => {
      const jws = await new CompactSign(payloadBytes(samplePayload()))
        .setProtectedHeader({ alg: 'RS512', kid: trusted.signing.kid })
        .sign(await importJWK(trusted.signing.jwk, 'RS512'));
      await expectRefusal(jws, 'EDP_BAD_SIGNATURE', 'JWS algorithm "RS512" is not accepted; bundles must be signed with RS256');
    });

    it('any payload bit flipped after signing (EDP-SIG-7, property)', async () => {
      const [header, payload, signature] = segments(good);
      const bytes = Buffer.from(payload, 'base64url');
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.nat({ max: 7 }), async (at, bit) => {
          const flipped = Buffer.from(bytes);
          flipped[at] = (flipped[at] ?? 0) ^ (1 << bit);
          await expectRefusal(`${header}.${b64(flipped)}.${signature}`, 'EDP_BAD_SIGNATURE', /^bundle signature does not verify/);
        }),
      );
    });

    it('any signature bit flipped (EDP-SIG-7, property)', async () => {
      const [header, payload, signature] = segments(good);
      const bytes = Buffer.from(signature, 'base64url');
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.nat({ max: 7 }), async (at, bit) => {
          const flipped = Buffer.from(bytes);
          flipped[at] = (flipped[at] ?? 0) ^ (1 << bit);
          await expectRefusal(`${header}.${payload}.${b64(flipped)}`, 'EDP_BAD_SIGNATURE', /^bundle signature does not verify/);
        }),
      );
    });

    it('the same header re-encoded with other whitespace (EDP-SIG-7)', async () => {
      const [, payload, signature] = segments(good);
      const header = b64(`{"alg": "RS256", "kid": "${trusted.publicInfo.kid}"}`);
      await expectRefusal(`${header}.${payload}.${signature}`, 'EDP_BAD_SIGNATURE', /^bundle signature does not verify/);
    });

    it('truncated at every length (EDP-SIG-1, EDP-SIG-7)', async () => {
      const signatureStart = good.lastIndexOf('.') + 1;
      for (let length = 0; length < good.length; length++) {
        const err = await refused(() => verifyBundle(good.slice(0, length), trustStore(trusted.publicInfo).resolve, OPTS));
        const context = `truncated to ${length} characters: ${err.code} ${err.message}`;
        if (length < signatureStart) {
          expect(err.code, context).toBe('EDP_BUNDLE_MALFORMED');
          expect(err.message, context).toMatch(/^JWS must have 3 dot-separated segments, found [12]$/);
        } else {
          const remainder = (length - signatureStart) % 4;
          if (remainder === 0) expect(err.code, context).toBe('EDP_BAD_SIGNATURE');
          if (remainder === 1) expect(err.message, context).toBe('JWS signature is not unpadded base64url');
          expect(['EDP_BAD_SIGNATURE', 'EDP_BUNDLE_MALFORMED'], context).toContain(err.code);
        }
      }
    });

    it('one character dropped at every position, by position class (EDP-SIG-1, EDP-SIG-7)', async () => {
      const firstDot = good.indexOf('.');
      const secondDot = good.lastIndexOf('.');
      for (let at = 0; at < good.length; at++) {
        const jws = good.slice(0, at) + good.slice(at + 1);
        const err = await refused(() => verifyBundle(jws, trustStore(trusted.publicInfo).resolve, OPTS));
        const context = `without character ${at}: ${err.code} ${err.message}`;
        if (at === firstDot || at === secondDot) {
          expect(err.message, context).toBe('JWS must have 3 dot-separated segments, found 2');
        } else if (at < firstDot) {
          // A shorter header never decodes to the same JSON.
          expect(err.code, context).toBe('EDP_BUNDLE_MALFORMED');
          expect(err.message, context).toMatch(/^JWS header /);
        } else {
          const part = at < secondDot ? 'payload' : 'signature';
          if (err.code === 'EDP_BUNDLE_MALFORMED') expect(err.message, context).toBe(`JWS ${part} is not unpadded base64url`);
          else expect(err.code, context).toBe('EDP_BAD_SIGNATURE');
        }
      }
    });

    it('an extra segment (EDP-SIG-1)', async () => {
      await expectRefusal(`${good}.${segments(good)[2]}`, 'EDP_BUNDLE_MALFORMED', 'JWS must have 3 dot-separated segments, found 4');
    });

    it.each([0, 1, 2])('padding "=" after segment %i (EDP-SIG-1)', async (index) => {
      const parts = segments(good);
      parts[index] = `${parts[index]}=`;
      const part = ['header', 'payload', 'signature'][index];
      await expectRefusal(parts.join('.'), 'EDP_BUNDLE_MALFORMED', `JWS ${part} is not unpadded base64url`);
    });

    it('now: the signing key has expired (EDP-SIG-6)', async () => {
      const expired = await fixtureKeyPair('expired-signing');
      const jws = await signBundle(samplePayload(), expired.signing);
      const store = trustStore(expired.publicInfo);
      await expect(verifyBundle(jws, store.resolve, { ...OPTS, now: EXPIRED_AT - 1 })).resolves.toBeDefined();
      await expectRefusal(jws, 'EDP_KEY_EXPIRED', `signing key ${expired.publicInfo.kid} expired at 2020-01-02T00:00:00.000Z`, store, {
        ...OPTS,
        now: EXPIRED_AT,
      });
    });

    it.each<[FixtureKeyName]>([['weak-rsa1024'], ['ed25519-signing']])('kid of a stored %s key, which cannot verify RS256 (EDP-SIG-5)', async (name) => {
      const stored = await readPublicKey(fixturePublicKey(name), NOW);
      const jws = await signBundle(samplePayload(), { kid: stored.kid, jwk: trusted.signing.jwk });
      await expectRefusal(jws, 'EDP_UNTRUSTED_KEY', `trusted key ${stored.kid} is not an RSA key of at least 2048 bits`, trustStore(stored));
    });

    it('the signing key is revoked (EDP-SIG-6)', async () => {
      const revoked = await revokedKeyPair();
      const jws = await signBundle(samplePayload(), revoked.signing);
      await expectRefusal(jws, 'EDP_KEY_EXPIRED', `signing key ${revoked.publicInfo.kid} is revoked`, trustStore(revoked.publicInfo));
    });

    it('payload: a validly signed payload breaking a payload rule (EDP-SIG-10, EDP-SIG-14, EDP-SIG-17)', async () => {
      const [first] = samplePayload().artifacts;
      if (!first) throw new Error('sample has artifacts');
      const cases: [unknown, string][] = [
        [{ ...samplePayload(), version: 'LATEST' }, 'version must not be "LATEST" (reserved)'],
        [
          { ...samplePayload(), artifacts: [{ ...first, repo_path: 'libs-release-local/../x' }] },
          'artifacts[0].repo_path "libs-release-local/../x" has a ".." segment 2',
        ],
        [{ ...samplePayload(), artifacts: [first, first] }, `artifacts[1].repo_path "${first.repo_path}" duplicates artifacts[0]`],
      ];
      for (const [payload, message] of cases) {
        const jws = await signBundle(payloadBytes(payload), trusted.signing);
        await expectRefusal(jws, 'EDP_BUNDLE_MALFORMED', message);
      }
    });

    it('payload: signed bytes that are not JSON (EDP-SIG-9)', async () => {
      const jws = await signBundle(new TextEncoder().encode('name=app'), trusted.signing);
      await expectRefusal(jws, 'EDP_BUNDLE_MALFORMED', /^bundle payload is not valid JSON: /);
    });

    it('limit: artifacts over the configured total (EDP-SIG-21)', async () => {
      await expectRefusal(good, 'EDP_BUNDLE_TOO_LARGE', 'artifacts add up to 1024 bytes, over the limit of 1000 bytes', undefined, {
        ...OPTS,
        maxTotalBytes: 1000,
      });
    });
  });

  describe('checks in the fixed order (EDP-SIG-23)', () => {
    it('reports a bad signature before a malformed payload', async () => {
      const jws = await signBundle(payloadBytes({ name: '-' }), { kid: trusted.signing.kid, jwk: untrusted.signing.jwk });
      const err = await refused(() => verifyBundle(jws, trustStore(trusted.publicInfo).resolve, OPTS));
      expect(err.code).toBe('EDP_BAD_SIGNATURE');
    });

    it('reports an expired key before a bad signature', async () => {
      const expired = await fixtureKeyPair('expired-signing');
      const jws = await signBundle(samplePayload(), { kid: expired.signing.kid, jwk: untrusted.signing.jwk });
      const err = await refused(() => verifyBundle(jws, trustStore(expired.publicInfo).resolve, OPTS));
      expect(err.code).toBe('EDP_KEY_EXPIRED');
    });

    it('reports a refused alg before a malformed kid', async () => {
      const [, payload] = segments(good);
      const err = await refused(() => verifyBundle(`${b64('{"alg":"HS256","kid":"XYZ"}')}.${payload}.`, trustStore().resolve, OPTS));
      expect(err.code).toBe('EDP_BAD_SIGNATURE');
    });
  });
});
