import { generateKey, readPrivateKey, revokeKey } from 'openpgp';
import { readPublicKey, readSigningKey, type SigningKey } from '../../protocol/bundle/index.ts';
import { trustedKeyJson, type TrustedKey } from '../../protocol/wire/edp.ts';
import { valueOrStatus } from './assertions.ts';
import type { ScenarioContext } from './context.ts';

/**
 * Bundle-signing keys beyond the fixtures, for scenarios that trust and remove keys: made
 * fresh by openpgp.js, so no run leaves a fixture key trusted on a shared Edge.
 */

export interface ThrowawayKey {
  armoredPublic: string;
  armoredPrivate: string;
  signing: SigningKey;
}

/** A fresh OpenPGP v4 RSA-2048 signing key, expiring `expiresInSecs` after it was made (never when left out). */
export async function throwawayKey(name: string, options: { expiresInSecs?: number } = {}): Promise<ThrowawayKey> {
  const { publicKey, privateKey } = await generateKey({
    type: 'rsa',
    rsaBits: 2048,
    userIDs: [{ name, email: `${name}@edgeproof.test` }],
    format: 'armored',
    config: { v6Keys: false },
    ...(options.expiresInSecs === undefined ? {} : { keyExpirationTime: options.expiresInSecs }),
  });
  return { armoredPublic: publicKey, armoredPrivate: privateKey, signing: await readSigningKey(privateKey) };
}

/** The public half of a fresh key that carries its own revocation. */
export async function revokedPublicKey(): Promise<string> {
  const key = await throwawayKey('revoked');
  const { publicKey } = await revokeKey({ key: await readPrivateKey({ armoredKey: key.armoredPrivate }), format: 'armored' });
  return publicKey;
}

/** How the trusted keys API must show `armored` under `alias` (EDP-KEY-2), read by the harness itself. */
export async function expectedListing(alias: string, armored: string): Promise<TrustedKey> {
  const info = await readPublicKey(armored, Date.now());
  return trustedKeyJson(alias, { ...info, issued: info.created });
}

/** Removes the trusted key `kid` when the scenario ends, if it is still there. */
export function untrustAtEnd(t: ScenarioContext, kid: string): void {
  t.defer(() => valueOrStatus(() => t.clients().edp.removeTrustedKey(kid)));
}
