/**
 * RSA keys as JWKs (RFC 7518 §6.3), built from OpenPGP key material. The JWK is what jose
 * imports and what an Edge stores next to a trusted key; it is plain JSON.
 */

export interface RsaPublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
}

export interface RsaPrivateJwk extends RsaPublicJwk {
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
}

/** RSA parameters as OpenPGP stores them: big-endian unsigned integers. */
export interface RsaPublicParams {
  n: Uint8Array;
  e: Uint8Array;
}

export interface RsaPrivateParams {
  d: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
}

export function rsaPublicJwk({ n, e }: RsaPublicParams): RsaPublicJwk {
  return { kty: 'RSA', n: encode(toBigInt(n)), e: encode(toBigInt(e)) };
}

/**
 * OpenPGP keeps u = p⁻¹ mod q, while a JWK wants qi = q⁻¹ mod p and the CRT exponents, so
 * those are derived here rather than copied.
 */
export function rsaPrivateJwk(pub: RsaPublicParams, priv: RsaPrivateParams): RsaPrivateJwk {
  const d = toBigInt(priv.d);
  const p = toBigInt(priv.p);
  const q = toBigInt(priv.q);
  return {
    ...rsaPublicJwk(pub),
    d: encode(d),
    p: encode(p),
    q: encode(q),
    dp: encode(d % (p - 1n)),
    dq: encode(d % (q - 1n)),
    qi: encode(modInverse(q, p)),
  };
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** Base64urlUInt: big-endian, no leading zero octets (RFC 7518 §2). */
function encode(value: bigint): string {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
}

function modInverse(value: bigint, modulus: bigint): bigint {
  // Extended Euclid; the primes of an RSA key are coprime, so the inverse exists.
  let [oldR, r] = [value % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return ((oldS % modulus) + modulus) % modulus;
}
