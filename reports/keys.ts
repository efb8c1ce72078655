import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/**
 * The keys that sign and check attestations: Ed25519 or ECDSA P-256, in PEM, through
 * node:crypto. A key is named by its keyid, the SHA-256 of its public key's DER
 * SubjectPublicKeyInfo, so signer and verifier compute the same id from either half.
 */

export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256';

export interface PublicKey {
  key: KeyObject;
  algorithm: KeyAlgorithm;
  /** The SHA-256 of the DER SubjectPublicKeyInfo, in hex. */
  keyid: string;
}

export interface SigningKey extends PublicKey {
  privateKey: KeyObject;
}

/** A key that cannot be used: the message says why, in one line. */
export class KeyError extends Error {
  override readonly name = 'KeyError';
}

export function signingKeyFromPem(pem: string | Buffer, where: string): SigningKey {
  // PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`) and legacy (`Proc-Type: 4,ENCRYPTED`) both say so; OpenSSL would only say "interrupted".
  if (/ENCRYPTED/.test(pem.toString())) throw new KeyError(`${where} is encrypted: give an unencrypted PEM private key`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new KeyError(`${where} is not a PEM private key (${(error as Error).message})`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, ...describe(publicKey, where) };
}

/** A public key (or the public half of a private key) in PEM. */
export function publicKeyFromPem(pem: string | Buffer, where: string): PublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new KeyError(`${where} is not a PEM public key (${(error as Error).message})`);
  }
  return describe(key, where);
}

function describe(key: KeyObject, where: string): PublicKey {
  return {
    key,
    algorithm: algorithmOf(key, where),
    keyid: createHash('sha256')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
  };
}

function algorithmOf(key: KeyObject, where: string): KeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  const what = key.asymmetricKeyType === 'ec' ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve}` : `a key of type ${key.asymmetricKeyType ?? 'secret'}`;
  throw new KeyError(`${where} is ${what}: attestations are signed with Ed25519 or ECDSA P-256`);
}

/** Ed25519 signs the message itself; ECDSA signs its SHA-256 and writes the signature in DER, as cosign and in-toto tools do. */
export function signBytes(key: SigningKey, data: Buffer): Buffer {
  return key.algorithm === 'ed25519' ? sign(null, data, key.privateKey) : sign('sha256', data, { key: key.privateKey, dsaEncoding: 'der' });
}

/** ECDSA signatures are accepted in DER and as the raw r‖s pair (IEEE P1363, as in the DSSE spec's test vector). */
export function verifyBytes(key: PublicKey, data: Buffer, signature: Buffer): boolean {
  if (key.algorithm === 'ed25519') return verify(null, data, key.key, signature);
  if (verify('sha256', data, { key: key.key, dsaEncoding: 'der' }, signature)) return true;
  return signature.length === 64 && verify('sha256', data, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature);
}
