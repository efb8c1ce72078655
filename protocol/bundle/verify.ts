import { createHash } from 'node:crypto';
import { compactVerify, errors, importJWK } from 'jose';
import { EdgeError } from '../errors.ts';
import type { RsaPublicJwk } from './jwk.ts';
import { parseJws, toCompactJws, type BundleJwsHeader } from './jws.ts';
import { MIN_RSA_BITS, type PublicKeyInfo } from './keys.ts';
import { parseBundlePayload, type BundlePayload } from './model.ts';

/**
 * The parts of a trusted key that verification needs: a `TrustedKey`, or the `PublicKeyInfo`
 * that `readPublicKey(armored, now)` gives for a stored armored key.
 */
export type TrustedKeyLike = Pick<PublicKeyInfo, 'bits' | 'expiry' | 'revoked' | 'jwk'>;

export type KeyResolver = (kid: string) => TrustedKeyLike | undefined | Promise<TrustedKeyLike | undefined>;

export interface VerifyOptions {
  /** The moment the key must be valid at, in milliseconds since the epoch. */
  now: number;
  /** Largest sum of `artifacts[].size` accepted, in bytes. */
  maxTotalBytes: number;
}

export interface VerifiedBundle {
  header: BundleJwsHeader;
  payload: BundlePayload;
  /** The signed payload bytes, exactly as received. */
  payloadBytes: Uint8Array;
  /** Lowercase hex sha256 of `payloadBytes`: the bundle's identity. */
  payloadSha256: string;
  /** The compact JWS as received (Distribution's JSON form is joined, not re-encoded). */
  jws: string;
}

/**
 * Verifies a signed bundle. EDP-SIG-23: the steps run in a fixed order, so each defect gets
 * the same code whatever else is wrong, and no payload byte is interpreted before the
 * signature holds.
 */
export async function verifyBundle(jws: string, resolveKey: KeyResolver, opts: VerifyOptions): Promise<VerifiedBundle> {
  const { compact, header, payloadBytes } = parseJws(toCompactJws(jws));
  const jwk = await verifySigningKey(header.kid, resolveKey, opts.now);
  await verifySignature(compact, jwk, header.kid);
  // EDP-SIG-8: the payload is read from the bytes that were signed, never re-serialised.
  const payload = parseBundlePayload(payloadBytes, opts);
  return {
    header,
    payload,
    payloadBytes,
    payloadSha256: createHash('sha256').update(payloadBytes).digest('hex'),
    jws: compact,
  };
}

async function verifySigningKey(kid: string, resolveKey: KeyResolver, now: number): Promise<RsaPublicJwk> {
  // EDP-SIG-5: the kid alone selects the key; trying every trusted key would let any of them
  // vouch for a bundle whose header names another.
  const key = await resolveKey(kid);
  if (key === undefined) {
    const message = `bundle is signed with key ${kid}, which is not a trusted signing key`;
    throw refusal('EDP_UNTRUSTED_KEY', message, kid);
  }
  // A store holding a key that EDP-KEY-4 forbids must not turn into a 500 from jose.
  const { jwk, bits } = key;
  if (jwk === undefined || bits === undefined || bits < MIN_RSA_BITS) {
    const message = `trusted key ${kid} is not an RSA key of at least ${MIN_RSA_BITS} bits`;
    throw refusal('EDP_UNTRUSTED_KEY', message, kid);
  }
  // EDP-SIG-6: OpenPGP expiry is exclusive: the key is expired from its expiry instant on.
  if (key.revoked) throw refusal('EDP_KEY_EXPIRED', `signing key ${kid} is revoked`, kid);
  if (key.expiry !== 0 && key.expiry <= now) {
    const message = `signing key ${kid} expired at ${new Date(key.expiry).toISOString()}`;
    throw refusal('EDP_KEY_EXPIRED', message, kid);
  }
  return jwk;
}

async function verifySignature(compact: string, jwk: RsaPublicJwk, kid: string): Promise<void> {
  // EDP-SIG-7: RS256 over the received header and payload segments.
  const publicKey = await importJWK(jwk, 'RS256');
  try {
    await compactVerify(compact, publicKey, { algorithms: ['RS256'] });
  } catch (err) {
    if (err instanceof errors.JWSSignatureVerificationFailed) {
      throw refusal('EDP_BAD_SIGNATURE', `bundle signature does not verify with key ${kid}`, kid);
    }
    throw err;
  }
}

type KeyRefusal = 'EDP_UNTRUSTED_KEY' | 'EDP_KEY_EXPIRED' | 'EDP_BAD_SIGNATURE';

function refusal(code: KeyRefusal, message: string, kid: string): EdgeError {
  return new EdgeError(code, message, { kid });
}
