import { z } from 'zod';
import { type PublicKey, type SigningKey, signBytes, verifyBytes } from './keys.ts';

/**
 * DSSE, the Dead Simple Signing Envelope (secure-systems-lab/dsse, protocol v1.0.0): the
 * signature covers PAE(payloadType, payload), so neither the bytes nor their declared type can
 * be changed without breaking it, and nothing is canonicalised.
 */

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface Envelope {
  payload: string;
  payloadType: string;
  signatures: { keyid?: string; sig: string }[];
}

/** The JSON envelope's parsing rules: payload, payloadType and each sig are required; unknown fields are ignored. */
export const envelopeSchema = z.object({
  payload: z.string(),
  payloadType: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })),
});

/** Pre-Authentication Encoding: `DSSEv1 SP LEN(type) SP type SP LEN(body) SP body`, lengths in bytes, in decimal. */
export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

export function signEnvelope(payloadType: string, body: Buffer, key: SigningKey): Envelope {
  return { payload: body.toString('base64'), payloadType, signatures: [{ keyid: key.keyid, sig: signBytes(key, pae(payloadType, body)).toString('base64') }] };
}

/** Standard or URL-safe base64 (the spec says verifiers accept either); undefined when it is neither. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  // One alphabet or the other, not a mix of both.
  if (/[+/]/.test(text) && /[-_]/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Whether one of the envelope's signatures is `key`'s over PAE(payloadType, body). The keyid only narrows which to try. */
export function signedBy(envelope: Envelope, body: Buffer, key: PublicKey): boolean {
  const message = pae(envelope.payloadType, body);
  return envelope.signatures.some((s) => {
    if (s.keyid && s.keyid !== key.keyid) return false;
    const sig = decodeBase64(s.sig);
    return sig !== undefined && verifyBytes(key, message, sig);
  });
}
