import { CompactSign, importJWK } from 'jose';
import type { SigningKey } from './keys.ts';
import type { BundlePayload } from './model.ts';

/**
 * Signs a bundle as Distribution does: compact JWS, header exactly {"alg":"RS256","kid":…}.
 * Bytes are signed as given, so simulators can also sign payloads an Edge must refuse.
 */
export async function signBundle(payload: BundlePayload | Uint8Array, key: SigningKey): Promise<string> {
  const bytes = payload instanceof Uint8Array ? payload : new TextEncoder().encode(JSON.stringify(payload));
  const privateKey = await importJWK(key.jwk, 'RS256');
  // Member order is insertion order, which fixes the header bytes.
  return new CompactSign(bytes).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(privateKey);
}
