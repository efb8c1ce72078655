import { readPrivateKey } from 'openpgp';
import { checkTrustedKey, readPublicKey, readSigningKey, type SigningKey } from '../../protocol/bundle/index.ts';
import { EdgeError } from '../../protocol/errors.ts';
import { badRequest } from './errors.ts';
import type { KeyRecord } from './state.ts';

/**
 * GPG signing keys (jfrog-compat.md §3.9). Distribution holds the private key to sign bundles;
 * the public key goes to every Edge. A key is refused up front when no Edge would trust it
 * (docs/protocol.md EDP-KEY-3, EDP-KEY-4: one RSA key ≥2048 bits, not expired or revoked) or
 * when the private key is not the public key's partner.
 */
export interface KeyUpload {
  alias: string;
  public_key: string;
  private_key: string;
  passphrase?: string | undefined;
}

/**
 * The Edge's trusted-key alias rule (edge/http/routes/trusted-keys.ts): an alias the Edges
 * would refuse could never be propagated, so it is refused here first.
 */
export const ALIAS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._@:-]{0,127}$/;

export async function readKeyUpload(upload: KeyUpload, now: number): Promise<KeyRecord> {
  const info = await keyCheck(async () => checkTrustedKey(await readPublicKey(upload.public_key, now), now), 'public_key');
  const privateKey = await keyCheck(() => readPrivateKey({ armoredKey: upload.private_key }), 'private_key');
  const privateKid = privateKey.getKeyID().toHex();
  if (privateKid !== info.kid) {
    throw badRequest(`private_key is key ${privateKid}, but public_key is key ${info.kid}: they must be one key pair.`);
  }
  // Decrypt now when we can, so signing needs no X-GPG-PASSPHRASE; a protected key without
  // its passphrase is kept encrypted (jfrog-compat.md §3.1: the header supplies it per call).
  const signingKey =
    privateKey.isDecrypted() || upload.passphrase !== undefined
      ? await keyCheck(() => readSigningKey(upload.private_key, upload.passphrase), 'private_key')
      : undefined;
  return {
    alias: upload.alias,
    publicKey: upload.public_key,
    privateKey: upload.private_key,
    kid: info.kid,
    fingerprint: info.fingerprint,
    signingKey,
  };
}

/** The RSA material to sign with: decrypted at upload, or now with the X-GPG-PASSPHRASE header. */
export async function signingKeyOf(key: KeyRecord, passphrase: string | undefined): Promise<SigningKey> {
  if (key.signingKey) return key.signingKey;
  if (passphrase === undefined) {
    throw badRequest(`Signing key "${key.alias}" is passphrase-protected: send its passphrase in the X-GPG-PASSPHRASE header.`);
  }
  return keyCheck(() => readSigningKey(key.privateKey, passphrase), 'X-GPG-PASSPHRASE');
}

/** `GET /api/v1/keys/{protocol}/{alias}` → `{"alias","public_key"}` (§3.9, Terraform's model). */
export function keyJson(key: KeyRecord): { alias: string; public_key: string } {
  return { alias: key.alias, public_key: key.publicKey };
}

/** Key problems are the client's: 400 naming what was wrong. */
async function keyCheck<T>(read: () => Promise<T>, field: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof EdgeError) throw badRequest(`Invalid ${field}: ${err.message}`);
    // openpgp's own parse errors.
    if (err instanceof Error) throw badRequest(`Invalid ${field}: ${err.message}`);
    throw err;
  }
}
