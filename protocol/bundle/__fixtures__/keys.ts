import { generateKey, readPrivateKey, revokeKey } from 'openpgp';
import { fixturePublicKey, fixtureSecretKey, type FixtureSecretKeyName } from '../../../fixtures/keys/index.ts';
import { readPublicKey, readSigningKey, type PublicKeyInfo, type SigningKey } from '../keys.ts';

export interface KeyPair {
  publicInfo: PublicKeyInfo;
  signing: SigningKey;
  armoredPublic: string;
}

/** Fixed `now` for tests: 2026-01-01T00:00:00Z. */
export const NOW = Date.UTC(2026, 0, 1);

/** A gpg-made fixture key, described as an Edge would trust it, plus its signing material. */
export async function fixtureKeyPair(name: FixtureSecretKeyName, passphrase?: string): Promise<KeyPair> {
  const armoredPublic = fixturePublicKey(name);
  return {
    publicInfo: await readPublicKey(armoredPublic, NOW),
    signing: await readSigningKey(fixtureSecretKey(name), passphrase),
    armoredPublic,
  };
}

/** A fresh OpenPGP v4 RSA-2048 key from openpgp.js, so nothing depends on gpg. */
export async function generatedKeyPair(options: { passphrase?: string } = {}): Promise<KeyPair & { armoredPrivate: string }> {
  const { publicKey, privateKey } = await generateKey({
    type: 'rsa',
    rsaBits: 2048,
    userIDs: [{ name: 'generated', email: 'generated@edgeproof.test' }],
    format: 'armored',
    config: { v6Keys: false },
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
  return {
    publicInfo: await readPublicKey(publicKey, NOW),
    signing: await readSigningKey(privateKey, options.passphrase),
    armoredPublic: publicKey,
    armoredPrivate: privateKey,
  };
}

/** Like generatedKeyPair, but the public key carries a revocation made with openpgp.revokeKey. */
export async function revokedKeyPair(): Promise<KeyPair> {
  const pair = await generatedKeyPair();
  const key = await readPrivateKey({ armoredKey: pair.armoredPrivate });
  const { publicKey } = await revokeKey({ key, format: 'armored' });
  return { ...pair, publicInfo: await readPublicKey(publicKey, NOW), armoredPublic: publicKey };
}
