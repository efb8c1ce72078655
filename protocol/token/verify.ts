import type { KeyObject } from 'node:crypto';
import { compactVerify, errors } from 'jose';
import { EdgeError, type ErrorCode } from '../errors.ts';
import { audienceIncludes } from './audience.ts';
import { TOKEN_ALGORITHM, tokenClaimsSchema, type TokenClaims, type TokenHeader } from './claims.ts';
import { grantsAnything, parseScope, type Grant } from './scope.ts';
import { subjectUser } from './subject.ts';

/** Who may have signed a token: a key, and how far that signer's clock may be from ours. */
export interface TokenSigner {
  key: KeyObject;
  clockSkewSecs: number;
}

export interface TokenVerifyOptions {
  /** The verifying service's id; `aud` must name it, `jfrt@*` or `*@*`. */
  serviceId: string;
  /** Milliseconds since the epoch. */
  now: number;
  /** The signer (a trusted certificate's key, or the verifier's own) with this kid, if any. */
  keyFor(kid: string): Promise<TokenSigner | undefined>;
}

export interface VerifiedToken {
  header: TokenHeader;
  claims: TokenClaims;
  grant: Grant;
  /** The user the subject names, when it names one. */
  user: string | undefined;
}

/** Largest token accepted; real ones are about 1 KiB, and HTTP headers cap them anyway. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/**
 * Header members that would change what is signed (`crit`, `b64`) or where the key comes
 * from (`jku`, `jwk`, `x5u`, `x5c`): the key is chosen by `kid` among trusted certificates only.
 */
const FORBIDDEN_HEADER_MEMBERS = ['crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c'];

/**
 * Verifies an access token, each check with its own refusal code (EDGE-TRUST family). The
 * order is fixed: shape, algorithm, key, signature, then claims — so nothing in the payload is
 * trusted before the signature is.
 */
export async function verifyToken(token: string, options: TokenVerifyOptions): Promise<VerifiedToken> {
  const header = parseStructure(token);
  // EDGE-TRUST-10: RS256 only, decided before any key is touched, so `none` is never accepted
  // and a public key can never serve as an HMAC secret.
  if (header.alg !== TOKEN_ALGORITHM) {
    throw refused('TOKEN_BAD_ALGORITHM', `the signing algorithm must be ${TOKEN_ALGORITHM}`);
  }
  // EDGE-TRUST-11: the kid selects the one certificate to check against; keys are never tried in turn.
  if (header.kid === undefined) throw refused('TOKEN_UNTRUSTED_ISSUER', 'it names no signing key (kid)');
  const signer = await options.keyFor(header.kid);
  if (!signer) throw refused('TOKEN_UNTRUSTED_ISSUER', "its signing key (kid) is not this Edge's and no trusted certificate has it");
  // EDGE-TRUST-12
  try {
    await compactVerify(token, signer.key, { algorithms: [TOKEN_ALGORITHM] });
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) throw refused('TOKEN_BAD_SIGNATURE', 'the signature does not verify');
    throw refused('TOKEN_MALFORMED', 'it is not a well-formed signed token');
  }
  const claims = parseClaims(token);
  checkTimes(claims, options.now, signer.clockSkewSecs);
  // EDGE-TRUST-14
  if (!audienceIncludes(claims.aud, options.serviceId)) {
    throw refused('TOKEN_WRONG_AUDIENCE', `its audience does not include ${options.serviceId}, jfrt@* or *@*`);
  }
  // EDGE-TRUST-15: a token that grants nothing here is refused rather than made anonymous.
  const { grant } = parseScope(claims.scp);
  if (!grantsAnything(grant)) throw refused('TOKEN_BAD_SCOPE', 'its scope grants no applied permissions');
  const user = subjectUser(claims.sub);
  if (grant.user && user === undefined) {
    throw refused('TOKEN_BAD_SCOPE', "its scope applies a user's permissions but its subject names no user");
  }
  return { header, claims, grant, user };
}

/** EDGE-TRUST-9: three base64url segments, a JSON object header and a JSON object payload. */
function parseStructure(token: string): TokenHeader {
  if (token.length > MAX_TOKEN_LENGTH) throw malformed('it is too long');
  const segments = token.split('.');
  if (segments.length !== 3) throw malformed('it does not have three dot-separated parts');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = segments;
  if (!BASE64URL.test(headerPart) || !BASE64URL.test(payloadPart) || (signaturePart !== '' && !BASE64URL.test(signaturePart))) {
    throw malformed('a part is not base64url');
  }
  const header = jsonObject(headerPart, 'header');
  jsonObject(payloadPart, 'payload');
  if (typeof header.alg !== 'string') throw malformed('its header has no algorithm (alg)');
  if (header.kid !== undefined && typeof header.kid !== 'string') throw malformed('its key id (kid) is not a string');
  if (FORBIDDEN_HEADER_MEMBERS.some((member) => member in header)) {
    throw malformed(`its header carries one of ${FORBIDDEN_HEADER_MEMBERS.join(', ')}`);
  }
  const { alg, kid, typ, ver } = header;
  return { alg, ...(kid === undefined ? {} : { kid }), ...(typeof typ === 'string' ? { typ } : {}), ...(typeof ver === 'string' ? { ver } : {}) };
}

function parseClaims(token: string): TokenClaims {
  const payload = jsonObject(token.split('.')[1] ?? '', 'payload');
  const parsed = tokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const claim = parsed.error.issues[0]?.path.join('.') ?? '';
    throw malformed(`its claim '${claim}' is missing or has the wrong type`);
  }
  return parsed.data;
}

/** EDGE-TRUST-13: `exp`, `nbf` and `iat` hold within the signer's clock skew. */
function checkTimes(claims: TokenClaims, now: number, clockSkewSecs: number): void {
  const seconds = now / 1000;
  if (seconds > claims.exp + clockSkewSecs) {
    throw refused('TOKEN_EXPIRED', `it expired at ${isoTime(claims.exp)}`);
  }
  if (claims.nbf !== undefined && seconds + clockSkewSecs < claims.nbf) {
    throw refused('TOKEN_NOT_YET_VALID', `it is not valid before ${isoTime(claims.nbf)}`);
  }
  if (claims.iat !== undefined && seconds + clockSkewSecs < claims.iat) {
    throw refused('TOKEN_NOT_YET_VALID', `it was issued in the future (${isoTime(claims.iat)})`);
  }
}

function jsonObject(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw malformed(`its ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(`its ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

function malformed(why: string): EdgeError {
  return refused('TOKEN_MALFORMED', why);
}

/**
 * EDGE-TRUST-17: the message says which check failed and never repeats the token or any of
 * its parts.
 */
export function refused(code: ErrorCode, why: string): EdgeError {
  return new EdgeError(code, `Invalid token: ${why}.`);
}
