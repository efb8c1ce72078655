import type { KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';

/**
 * A key's id is its RFC 7638 SHA-256 JWK thumbprint: 43 base64url characters, the shape of
 * JFrog's kids, and computable by anyone who holds the certificate — so a verifier can index
 * its trusted certificates by kid without being told the mapping.
 */
export async function keyId(publicKey: KeyObject): Promise<string> {
  const jwk = publicKey.export({ format: 'jwk' });
  return calculateJwkThumbprint(jwk, 'sha256');
}
