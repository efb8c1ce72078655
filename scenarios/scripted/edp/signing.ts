import { signBundle, type BundlePayload, type SigningKey } from '../../../protocol/bundle/index.ts';
import { payloadOf, signingKey } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { b64url, b64urlJson, compactJws, type Signer } from '../../kit/jws.ts';
import { bundleTarget, freshFile } from '../../kit/transactions.ts';

/**
 * What the JWS scenarios start from: a valid payload for a repository of this run, its good
 * bundle signed by the trusted fixture key, and ways to sign variants of it.
 */
export interface Signing {
  payload: BundlePayload;
  /** The payload segment of the good bundle. */
  payloadSegment: string;
  key: SigningKey;
  kid: string;
  good: string;
}

export async function signing(t: ScenarioContext): Promise<Signing> {
  const repo = await bundleTarget(t, 'edp-sig');
  const payload = payloadOf(t.name('signed'), '1.0', [freshFile(t, `${repo}/sig/file.bin`)]);
  const key = await signingKey(t);
  return { payload, payloadSegment: b64urlJson(payload), key, kid: key.kid, good: await signBundle(payload, key) };
}

export const rs256 = (key: SigningKey): Signer => ({ alg: 'RS256', key });

/** A header, as an object or as exact JSON text, over the good payload, signed as `signer` says (RS256 with the trusted key by default). */
export function withHeader(s: Signing, header: object | string, signer: Signer = rs256(s.key)): string {
  return compactJws(typeof header === 'string' ? b64url(header) : b64urlJson(header), s.payloadSegment, signer);
}

/** A well-formed key id of no trusted key: the trusted one with its last digit changed. */
export const otherKid = (kid: string): string => kid.slice(0, -1) + (kid.endsWith('0') ? '1' : '0');
