import { EdgeError } from '../errors.ts';
import { decodeUtf8, parseJsonObject, quote } from './json.ts';

export const KID_PATTERN = /^[0-9a-f]{16}$/;

/** The protected header of an EDP bundle. */
export interface BundleJwsHeader {
  alg: 'RS256';
  kid: string;
  typ?: string;
}

export interface ParsedJws {
  /** The compact serialisation, character for character as received. */
  compact: string;
  header: BundleJwsHeader;
  /** The payload exactly as signed. */
  payloadBytes: Uint8Array;
}

// `typ` is informational (RFC 7515 §4.1.9). Anything else — crit, b64, jwk, jku, x5c, x5u —
// would change how the signature is checked or where the key comes from.
const HEADER_MEMBERS = new Set(['alg', 'kid', 'typ']);
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const DISTRIBUTION_MEMBERS = ['header', 'payload', 'signature'] as const;

/**
 * Turns Distribution's `?format=jws` object `{"header","payload","signature"}` into the compact
 * form by joining its parts as received; a compact JWS is returned unchanged.
 */
export function toCompactJws(input: string): string {
  // EDP-SIG-1: a compact JWS cannot start with "{", so the two forms never overlap.
  if (!input.startsWith('{')) return input;
  const json = parseJsonObject(input, 'JWS JSON');
  for (const member of Object.keys(json)) {
    if (!(DISTRIBUTION_MEMBERS as readonly string[]).includes(member)) {
      throw malformed(`JWS JSON has the unexpected member ${quote(member)}`);
    }
  }
  const parts = DISTRIBUTION_MEMBERS.map((member) => {
    const part = json[member];
    if (typeof part !== 'string') throw malformed(`JWS JSON member "${member}" must be a string`);
    return part;
  });
  return parts.join('.');
}

/** Parses a compact JWS strictly and checks its header; the signature is not checked here. */
export function parseJws(compact: string): ParsedJws {
  // EDP-SIG-1: exactly three unpadded, canonical base64url segments.
  const segments = compact.split('.');
  if (segments.length !== 3) {
    throw malformed(`JWS must have 3 dot-separated segments, found ${segments.length}`);
  }
  const [headerPart = '', payloadPart = '', signaturePart = ''] = segments;
  const headerBytes = decodeSegment(headerPart, 'header');
  const payloadBytes = decodeSegment(payloadPart, 'payload');
  decodeSegment(signaturePart, 'signature');
  if (payloadBytes.length === 0) throw malformed('JWS payload is empty');

  const header = parseJsonObject(decodeUtf8(headerBytes, 'JWS header'), 'JWS header');
  return { compact, header: checkHeader(header), payloadBytes };
}

function checkHeader(header: Record<string, unknown>): BundleJwsHeader {
  const { alg, kid, typ } = header;
  if (typeof alg !== 'string') throw malformed('JWS header "alg" must be a string');
  // EDP-SIG-2: only RS256; "none" and HMAC are refused before any key is touched, so a public
  // key can never be used as an HMAC secret.
  if (alg !== 'RS256') {
    throw new EdgeError('EDP_BAD_SIGNATURE', `JWS algorithm ${quote(alg)} is not accepted; bundles must be signed with RS256`, { alg });
  }
  // EDP-SIG-3
  for (const member of Object.keys(header)) {
    if (!HEADER_MEMBERS.has(member)) {
      throw malformed(`JWS header has the unsupported member ${quote(member)}`);
    }
  }
  if (typ !== undefined && typeof typ !== 'string') {
    throw malformed('JWS header "typ" must be a string');
  }
  if (kid === undefined) throw malformed('JWS header has no "kid"');
  if (typeof kid !== 'string') throw malformed('JWS header "kid" must be a string');
  // EDP-SIG-4: one spelling per key id, so lookups are exact.
  if (!KID_PATTERN.test(kid)) {
    throw malformed(`JWS header "kid" must be the 16 lowercase hex digit OpenPGP key id, got ${quote(kid)}`);
  }
  return typ === undefined ? { alg, kid } : { alg, kid, typ };
}

function decodeSegment(segment: string, what: string): Uint8Array {
  const bytes = Buffer.from(segment, 'base64url');
  // Node's decoder skips characters it does not know and ignores leftover bits; re-encoding
  // catches both, so each byte string has exactly one accepted spelling.
  if (!BASE64URL.test(segment) || bytes.toString('base64url') !== segment) {
    throw malformed(`JWS ${what} is not unpadded base64url`);
  }
  return new Uint8Array(bytes);
}

function malformed(message: string): EdgeError {
  return new EdgeError('EDP_BUNDLE_MALFORMED', message);
}
