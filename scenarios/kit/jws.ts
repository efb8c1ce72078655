import { constants, createHmac, createPrivateKey, sign } from 'node:crypto';
import type { SigningKey } from '../../protocol/bundle/index.ts';

/**
 * JWS built by hand, for the bundles an Edge must refuse: any header bytes, any payload bytes,
 * signed with any algorithm, so that one rule at a time is broken and everything else holds
 * (`signBundle` only makes the one well-formed header Distribution writes).
 */

export const b64url = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');

export const b64urlJson = (value: unknown): string => b64url(JSON.stringify(value));

/** How the signing input is signed: what a forger might try instead of RS256. */
export type Signer =
  | { alg: 'RS256' | 'RS512' | 'PS256'; key: SigningKey }
  /** HMAC keyed with text an attacker knows (a public key): algorithm confusion. */
  | { alg: 'HS256'; secret: string }
  | { alg: 'none' };

/** The signature segment of `<header>.<payload>` (both already base64url). */
export function signatureOf(signingInput: string, signer: Signer): string {
  const data = Buffer.from(signingInput, 'ascii');
  switch (signer.alg) {
    case 'none':
      return '';
    case 'HS256':
      return createHmac('sha256', signer.secret).update(data).digest('base64url');
    case 'RS256':
    case 'RS512':
    case 'PS256': {
      const key = createPrivateKey({ key: { ...signer.key.jwk }, format: 'jwk' });
      const hash = signer.alg === 'RS512' ? 'sha512' : 'sha256';
      const options = signer.alg === 'PS256' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key;
      return sign(hash, data, options).toString('base64url');
    }
  }
}

/** A compact JWS of exactly these header and payload segments, signed by `signer`. */
export function compactJws(headerSegment: string, payloadSegment: string, signer: Signer): string {
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${signatureOf(input, signer)}`;
}

/** The three segments of a compact JWS. */
export function segmentsOf(jws: string): [header: string, payload: string, signature: string] {
  const [header = '', payload = '', signature = ''] = jws.split('.');
  return [header, payload, signature];
}

/** Distribution's `?format=jws` object for a compact JWS (EDP-SIG-1). */
export function distributionForm(jws: string): string {
  const [header, payload, signature] = segmentsOf(jws);
  return JSON.stringify({ header, payload, signature });
}

/** How many characters to drop from the end of `segment` so that its length modulo 4 is `remainder` (1: not base64url at all; 0: decodes, to fewer bytes). */
export function cutTo(segment: string, remainder: 0 | 1 | 2 | 3): number {
  let cut = 1;
  while ((segment.length - cut) % 4 !== remainder) cut++;
  return cut;
}
