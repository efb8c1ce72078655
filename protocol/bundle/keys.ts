import type { AlgorithmInfo, Key, PrivateKey } from 'openpgp';
import { EdgeError } from '../errors.ts';
import { rsaPrivateJwk, rsaPublicJwk, type RsaPrivateJwk, type RsaPublicJwk } from './jwk.ts';

export const MIN_RSA_BITS = 2048;

/** What an Edge shows and stores for an OpenPGP public key (JFrog's trusted-key fields). */
export interface PublicKeyInfo {
  /** Key id of the primary key, 16 lowercase hex digits: the JWS `kid`. */
  kid: string;
  /** Lowercase hex pairs joined by ":", as JFrog lists fingerprints. */
  fingerprint: string;
  fingerprintHex: string;
  algorithm: AlgorithmInfo['algorithm'];
  /** Modulus size for RSA; undefined for curve keys. */
  bits: number | undefined;
  userIds: string[];
  /** The first user id, "Name <email>". */
  issuedBy: string;
  /** Milliseconds since the epoch. */
  created: number;
  /** Milliseconds since the epoch; 0 for a key that never expires. */
  expiry: number;
  revoked: boolean;
  /** RSA public material of the primary key; undefined when the key cannot sign RS256. */
  jwk: RsaPublicJwk | undefined;
}

/** A public key an Edge may trust for bundle signatures. */
export interface TrustedKey extends PublicKeyInfo {
  bits: number;
  jwk: RsaPublicJwk;
}

/** RSA private material of an OpenPGP key, ready for jose; used by simulators and fixtures. */
export interface SigningKey {
  kid: string;
  jwk: RsaPrivateJwk;
}

// The JWS is checked with the primary key's RSA material, as jfrog-client-go does; an
// encrypt-only RSA key (rsaEncrypt) is not a signing key.
const RSA_SIGNING_ALGORITHMS: ReadonlySet<string> = new Set(['rsaEncryptSign', 'rsaSign']);

/**
 * Reads one armored OpenPGP public key and describes it; `now` (ms) decides whether a
 * revocation is already in force. Refuses anything that is not exactly one public key.
 */
export async function readPublicKey(armored: string, now: number): Promise<PublicKeyInfo> {
  // EDP-KEY-3: openpgp reads the first armored block and silently ignores the rest.
  if ((armored.match(/-----BEGIN PGP /g) ?? []).length > 1) {
    throw keyInvalid('expected one armored block, found several');
  }
  let keys: Key[];
  try {
    keys = await (await openpgp()).readKeys({ armoredKeys: armored });
  } catch (err) {
    throw keyInvalid(`not an OpenPGP public key: ${reason(err)}`);
  }
  const [key] = keys;
  if (key === undefined || keys.length !== 1) {
    throw keyInvalid(`expected exactly one OpenPGP key, found ${keys.length}`);
  }
  // EDP-KEY-3: a trusted-keys store must never hold secret material.
  if (key.isPrivate()) {
    throw keyInvalid(`key ${kidOf(key)} is a private key; upload the public key (gpg --armor --export)`);
  }
  // Reading the expiry checks the self-signature, so an altered key is refused here.
  const expiration = await key.getExpirationTime().catch(() => null);
  if (expiration === null) {
    throw keyInvalid(`key ${kidOf(key)} has no valid self-signature`);
  }
  const { algorithm, bits } = key.getAlgorithmInfo();
  const fingerprintHex = key.getFingerprint();
  const userIds = key.getUserIDs();
  return {
    kid: kidOf(key),
    fingerprint: fingerprintHex.match(/../g)?.join(':') ?? '',
    fingerprintHex,
    algorithm,
    bits,
    userIds,
    issuedBy: userIds[0] ?? '',
    created: key.getCreationTime().getTime(),
    expiry: expiration === Infinity ? 0 : Number(expiration),
    revoked: await key.isRevoked(undefined, undefined, new Date(now)),
    jwk: RSA_SIGNING_ALGORITHMS.has(algorithm) ? rsaPublicJwk(publicParams(key)) : undefined,
  };
}

/** Accepts a described key as a bundle-signing key at `now` (ms), or says why not. */
export function checkTrustedKey(info: PublicKeyInfo, now: number): TrustedKey {
  const { kid, jwk, bits } = info;
  // EDP-KEY-3: such a key could only ever lead to EDP_KEY_EXPIRED refusals.
  if (info.revoked) throw keyInvalid(`key ${kid} is revoked`);
  if (info.expiry !== 0 && info.expiry <= now) {
    throw keyInvalid(`key ${kid} expired at ${new Date(info.expiry).toISOString()}`);
  }
  // EDP-KEY-4: bundles are RS256, so only RSA keys can verify them.
  if (jwk === undefined || bits === undefined) {
    throw keyInvalid(`key ${kid} is ${info.algorithm}, not an RSA signing key; bundles are signed with RS256`);
  }
  // EDP-KEY-4: JFrog requires signing keys of at least 2K; jose refuses smaller ones for RS256.
  if (bits < MIN_RSA_BITS) {
    throw keyInvalid(`key ${kid} is RSA-${bits}; at least ${MIN_RSA_BITS} bits are required`);
  }
  return { ...info, jwk, bits };
}

/** Reads an armored public key that an Edge is asked to trust. */
export async function readTrustedKey(armored: string, now: number): Promise<TrustedKey> {
  return checkTrustedKey(await readPublicKey(armored, now), now);
}

/**
 * Reads an armored OpenPGP private key, decrypting it with `passphrase` when it is protected,
 * and returns its primary key's RSA material. Expired or revoked keys are accepted: simulators
 * need them to produce bundles an Edge must refuse.
 */
export async function readSigningKey(armored: string, passphrase?: string): Promise<SigningKey> {
  const { decryptKey, readPrivateKey, SecretKeyPacket } = await openpgp();
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey: armored });
  } catch (err) {
    throw keyInvalid(`not an OpenPGP private key: ${reason(err)}`);
  }
  const kid = kidOf(key);
  const { algorithm } = key.getAlgorithmInfo();
  if (!RSA_SIGNING_ALGORITHMS.has(algorithm)) {
    throw keyInvalid(`key ${kid} is ${algorithm}, not an RSA signing key`);
  }
  const packet = key.keyPacket;
  if (!(packet instanceof SecretKeyPacket) || packet.isDummy()) {
    throw keyInvalid(`key ${kid} has no secret material for its primary key (a gpg stub?)`);
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined) {
      throw keyInvalid(`key ${kid} is passphrase-protected; a passphrase is required`);
    }
    try {
      key = await decryptKey({ privateKey: key, passphrase });
    } catch (err) {
      throw keyInvalid(`key ${kid} could not be decrypted: ${reason(err)}`);
    }
  }
  const decrypted = key.keyPacket;
  if (!(decrypted instanceof SecretKeyPacket) || decrypted.privateParams === null) {
    throw keyInvalid(`key ${kid} has no secret material for its primary key`);
  }
  try {
    // Unencrypted keys are read without any consistency check; a corrupt one would sign garbage.
    await decrypted.validate();
  } catch (err) {
    throw keyInvalid(`key ${kid} has inconsistent RSA parameters: ${reason(err)}`);
  }
  const params = decrypted.privateParams;
  return {
    kid,
    jwk: rsaPrivateJwk(publicParams(key), {
      d: mpi(params, 'd', kid),
      p: mpi(params, 'p', kid),
      q: mpi(params, 'q', kid),
    }),
  };
}

function publicParams(key: Key): { n: Uint8Array; e: Uint8Array } {
  const kid = kidOf(key);
  const params = key.keyPacket.publicParams;
  return { n: mpi(params, 'n', kid), e: mpi(params, 'e', kid) };
}

// openpgp types key parameters as `object`; each is a Uint8Array for RSA keys.
function mpi(params: object, name: string, kid: string): Uint8Array {
  const value: unknown = Reflect.get(params, name);
  if (!(value instanceof Uint8Array)) throw keyInvalid(`key ${kid} has no RSA parameter ${name}`);
  return value;
}

function kidOf(key: Key): string {
  return key.getKeyID().toHex();
}

function keyInvalid(message: string): EdgeError {
  return new EdgeError('KEY_INVALID', message);
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** openpgp.js is large and only needed when a key is read: loading it on first use keeps start-up fast. */
function openpgp(): Promise<typeof import('openpgp')> {
  return import('openpgp');
}
