import { readFileSync } from 'node:fs';
import { armor, enums, generateKey, readKey } from 'openpgp';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PASSPHRASE, fixturePublicKey, fixtureSecretKey, type FixtureKeyName } from '../../fixtures/keys/index.ts';
import { refusal } from './__fixtures__/refusal.ts';
import { generatedKeyPair, NOW, revokedKeyPair } from './__fixtures__/keys.ts';
import { checkTrustedKey, readPublicKey, readSigningKey, readTrustedKey } from './keys.ts';

const refused = (run: () => Promise<unknown>) => refusal(run, 'key was accepted');

const big = (base64url: string) => BigInt(`0x${Buffer.from(base64url, 'base64url').toString('hex')}`);
const EXPIRED_AT = Date.UTC(2020, 0, 2);

describe('readPublicKey', () => {
  it('describes the gpg-made bundle-signing key as JFrog lists trusted keys (EDP-KEY-2)', async () => {
    const info = await readPublicKey(fixturePublicKey('bundle-signing'), NOW);
    expect(info.kid).toMatch(/^[0-9a-f]{16}$/);
    expect(info.fingerprintHex).toMatch(/^[0-9a-f]{40}$/);
    expect(info.fingerprintHex.endsWith(info.kid)).toBe(true);
    expect(info.fingerprint).toBe(info.fingerprintHex.match(/../g)?.join(':'));
    expect(info).toMatchObject({
      algorithm: 'rsaEncryptSign',
      bits: 3072,
      userIds: ['edgeproof fixture <bundle-signing@edgeproof.test>'],
      issuedBy: 'edgeproof fixture <bundle-signing@edgeproof.test>',
      expiry: 0,
      revoked: false,
    });
    expect(info.jwk?.e).toBe('AQAB');
    expect(Buffer.from(info.jwk?.n ?? '', 'base64url')).toHaveLength(384);
  });

  it('reports the expiry of the expired fixture key in milliseconds', async () => {
    const info = await readPublicKey(fixturePublicKey('expired-signing'), NOW);
    expect(info.created).toBe(Date.UTC(2020, 0, 1));
    expect(info.expiry).toBe(EXPIRED_AT);
  });

  it('has no JWK for a curve key', async () => {
    const info = await readPublicKey(fixturePublicKey('ed25519-signing'), NOW);
    expect(info).toMatchObject({ algorithm: 'eddsaLegacy', bits: undefined, jwk: undefined });
  });

  it('marks a key revoked with openpgp.revokeKey', async () => {
    expect((await revokedKeyPair()).publicInfo.revoked).toBe(true);
  });

  it.each<[string, () => string, string]>([
    ['text that is not OpenPGP', () => 'ssh-rsa AAAAB3NzaC1yc2E', 'not an OpenPGP public key: '],
    [
      'a PEM public key',
      () => '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n',
      'not an OpenPGP public key: ',
    ],
    ['a private key given as public', () => fixtureSecretKey('bundle-signing'), 'is a private key; upload the public key (gpg --armor --export)'],
    ['two armored blocks', () => `${fixturePublicKey('bundle-signing')}${fixturePublicKey('untrusted-signing')}`, 'expected one armored block, found several'],
  ])('refuses %s with KEY_INVALID (EDP-KEY-3)', async (_label, armored, message) => {
    const err = await refused(() => readPublicKey(armored(), NOW));
    expect(err.code).toBe('KEY_INVALID');
    expect(err.message).toContain(message);
  });

  it('refuses two keys in one armored block (EDP-KEY-3)', async () => {
    const keys = await Promise.all(
      (['bundle-signing', 'untrusted-signing'] as const).map(async (name) => (await readKey({ armoredKey: fixturePublicKey(name) })).write()),
    );
    const armored = armor(enums.armor.publicKey, Buffer.concat(keys));
    const err = await refused(() => readPublicKey(armored, NOW));
    expect(err.code).toBe('KEY_INVALID');
    expect(err.message).toBe('expected exactly one OpenPGP key, found 2');
  });

  it('refuses a key whose self-signature was altered (EDP-KEY-3)', async () => {
    const key = await readKey({ armoredKey: fixturePublicKey('bundle-signing') });
    const bytes = key.write();
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 1;
    const altered = (await readKey({ binaryKey: bytes })).armor();
    const err = await refused(() => readPublicKey(altered, NOW));
    expect(err.code).toBe('KEY_INVALID');
    expect(err.message).toBe(`key ${key.getKeyID().toHex()} has no valid self-signature`);
  });
});

describe('readTrustedKey / checkTrustedKey', () => {
  it('accepts the RSA-3072 bundle-signing key', async () => {
    const key = await readTrustedKey(fixturePublicKey('bundle-signing'), NOW);
    expect(key.bits).toBe(3072);
  });

  it.each<[FixtureKeyName, RegExp]>([
    ['weak-rsa1024', /^key [0-9a-f]{16} is RSA-1024; at least 2048 bits are required$/],
    ['ed25519-signing', /^key [0-9a-f]{16} is eddsaLegacy, not an RSA signing key; bundles are signed with RS256$/],
    ['expired-signing', /^key [0-9a-f]{16} expired at 2020-01-02T00:00:00.000Z$/],
  ])('refuses %s with KEY_INVALID (EDP-KEY-3, EDP-KEY-4)', async (name, message) => {
    const err = await refused(() => readTrustedKey(fixturePublicKey(name), NOW));
    expect(err.code).toBe('KEY_INVALID');
    expect(err.message).toMatch(message);
  });

  it('judges expiry against the injected now', async () => {
    const info = await readPublicKey(fixturePublicKey('expired-signing'), NOW);
    expect(checkTrustedKey(info, EXPIRED_AT - 1).kid).toBe(info.kid);
    expect(() => checkTrustedKey(info, EXPIRED_AT)).toThrow(/expired at/);
  });

  it('refuses a revoked key (EDP-KEY-3)', async () => {
    const { publicInfo } = await revokedKeyPair();
    const err = await refused(async () => checkTrustedKey(publicInfo, NOW));
    expect(err.code).toBe('KEY_INVALID');
    expect(err.message).toBe(`key ${publicInfo.kid} is revoked`);
  });
});

describe('readSigningKey', () => {
  it('derives a private JWK whose CRT values fit the key (gpg key)', async () => {
    const signing = await readSigningKey(fixtureSecretKey('bundle-signing'));
    const info = await readPublicKey(fixturePublicKey('bundle-signing'), NOW);
    expect(signing.kid).toBe(info.kid);
    expect({ kty: signing.jwk.kty, n: signing.jwk.n, e: signing.jwk.e }).toEqual(info.jwk);
    const [n, e, d, p, q, dp, dq, qi] = (['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const).map((k) => big(signing.jwk[k]));
    if (!n || !e || !d || !p || !q || !dp || !dq || !qi) throw new Error('missing JWK member');
    expect(p * q).toBe(n);
    expect(dp).toBe(d % (p - 1n));
    expect(dq).toBe(d % (q - 1n));
    expect((qi * q) % p).toBe(1n);
    expect((e * dp) % (p - 1n)).toBe(1n);
  });

  it('decrypts a passphrase-protected gpg key', async () => {
    const signing = await readSigningKey(fixtureSecretKey('passphrase-signing'), FIXTURE_PASSPHRASE);
    expect(signing.kid).toBe((await readPublicKey(fixturePublicKey('passphrase-signing'), NOW)).kid);
  });

  it('decrypts a passphrase-protected openpgp.js key', async () => {
    const pair = await generatedKeyPair({ passphrase: 'pw' });
    expect(pair.signing.kid).toBe(pair.publicInfo.kid);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['a protected key without passphrase', () => readSigningKey(fixtureSecretKey('passphrase-signing')), 'is passphrase-protected; a passphrase is required'],
    ['a protected key with a wrong passphrase', () => readSigningKey(fixtureSecretKey('passphrase-signing'), 'wrong'), 'could not be decrypted: '],
    ['a public key', () => readSigningKey(fixturePublicKey('bundle-signing')), 'not an OpenPGP private key: '],
  ])('refuses %s with KEY_INVALID', async (_label, run, message) => {
    const err = await refused(run);
    expect(err.code).toBe('KEY_INVALID');
    expect(err.message).toContain(message);
  });

  it('refuses a curve private key', async () => {
    const { privateKey } = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'curve' }],
      format: 'armored',
      config: { v6Keys: false },
    });
    const err = await refused(() => readSigningKey(privateKey));
    expect(err.code).toBe('KEY_INVALID');
    expect(err.message).toMatch(/is eddsaLegacy, not an RSA signing key$/);
  });
});

describe('fixtures/README.md', () => {
  it('lists the key id and fingerprint of every fixture key', async () => {
    const readme = readFileSync(new URL('../../fixtures/README.md', import.meta.url), 'utf8');
    const names: FixtureKeyName[] = ['bundle-signing', 'untrusted-signing', 'passphrase-signing', 'expired-signing', 'weak-rsa1024', 'ed25519-signing'];
    for (const name of names) {
      const info = await readPublicKey(fixturePublicKey(name), NOW);
      expect(readme).toContain(`| \`${name}\` | \`${info.kid}\` | \`${info.fingerprint}\` |`);
    }
  });
});
