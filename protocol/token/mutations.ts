import { sign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import type { ErrorCode } from '../errors.ts';
import type { TokenClaims } from './claims.ts';

/**
 * The token contract's refusals as data: a good access token and fast-check generators of
 * tokens that differ from it in exactly one respect, each with the refusal code that respect
 * must produce (EDGE-TRUST-9 … EDGE-TRUST-15). Not test-only code: the unit tests of
 * protocol/token check `verifyToken` with them and the conformance scenarios check any Edge
 * over HTTP with the same generators, so both prove the same list.
 */
export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

export interface GoodToken {
  /** A key the verifier trusts. */
  trusted: SigningKeyPair;
  /** A key it does not. */
  untrusted: SigningKeyPair;
  /** The verifier's service id. */
  serviceId: string;
  clockSkewSecs: number;
  /** Read when each token is made, so tokens made late in a long run are still "now". */
  now(): number;
  /** Claims of the good token; `exp`, `iat` are filled in from `now`. */
  claims: { sub: string; scp: string; aud: string | string[]; iss: string; jti: string };
}

export interface Mutation {
  /** What differs from the good token. */
  respect: string;
  code: ErrorCode;
  /** Shaped like a JWT, so it can travel as a basic-auth password too. */
  jwtShaped: boolean;
  make(): Promise<string>;
}

/** Which requirement each refusal code proves. */
export const REFUSALS: readonly { id: string; codes: readonly ErrorCode[] }[] = [
  { id: 'EDGE-TRUST-9', codes: ['TOKEN_MALFORMED'] },
  { id: 'EDGE-TRUST-10', codes: ['TOKEN_BAD_ALGORITHM'] },
  { id: 'EDGE-TRUST-11', codes: ['TOKEN_UNTRUSTED_ISSUER'] },
  { id: 'EDGE-TRUST-12', codes: ['TOKEN_BAD_SIGNATURE'] },
  { id: 'EDGE-TRUST-13', codes: ['TOKEN_EXPIRED', 'TOKEN_NOT_YET_VALID'] },
  { id: 'EDGE-TRUST-14', codes: ['TOKEN_WRONG_AUDIENCE'] },
  { id: 'EDGE-TRUST-15', codes: ['TOKEN_BAD_SCOPE', 'TOKEN_UNKNOWN_USER'] },
];

const HEADER = { ver: '2', typ: 'JWT', alg: 'RS256' } as const;
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export function goodClaims(good: GoodToken): TokenClaims {
  const seconds = Math.floor(good.now() / 1000);
  return { ...good.claims, iat: seconds - 10, exp: seconds + 3600 };
}

export async function signWith(claims: Record<string, unknown>, header: Record<string, unknown>, key: KeyObject | Uint8Array): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ ...header, alg: header.alg as string }).sign(key);
}

/** RS256 by hand, for headers jose will not sign (crit naming a claim, key-bearing members). */
function signRaw(claims: Record<string, unknown>, header: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export function makeGoodToken(good: GoodToken): Promise<string> {
  return signWith(goodClaims(good), { ...HEADER, kid: good.trusted.kid }, good.trusted.privateKey);
}

/** Re-signed properly with the trusted key: only the claims differ. */
function resigned(good: GoodToken, change: (claims: TokenClaims) => Record<string, unknown>): Promise<string> {
  return signWith(change(goodClaims(good)), { ...HEADER, kid: good.trusted.kid }, good.trusted.privateKey);
}

function mutation(respect: string, code: ErrorCode, make: () => Promise<string>, jwtShaped = true): Mutation {
  return { respect, code, jwtShaped, make };
}

const otherServiceId = fc.stringMatching(/^[0-9a-z]{26}$/).map((id) => `jfrt@${id}`);
const seconds = fc.integer({ min: 2, max: 10 * 365 * 24 * 3600 });

/** Every single-respect mutation the protocol layer itself refuses. */
export function tokenMutations(good: GoodToken): fc.Arbitrary<Mutation> {
  const skew = good.clockSkewSecs;
  const nowSecs = () => Math.floor(good.now() / 1000);
  return fc.oneof(
    // EDGE-TRUST-12: any change after signing breaks the signature.
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([index, bits]) =>
      mutation(`signature byte ${index} xor ${bits}`, 'TOKEN_BAD_SIGNATURE', async () => {
        const [header, payload, signature = ''] = (await makeGoodToken(good)).split('.');
        const bytes = Buffer.from(signature, 'base64url');
        const at = index % bytes.length;
        bytes[at] = (bytes[at] as number) ^ bits;
        return `${header}.${payload}.${bytes.toString('base64url')}`;
      }),
    ),
    fc
      .constantFrom<[string, unknown]>(
        ['scp', 'applied-permissions/admin'],
        ['sub', 'jfrt@01x/users/admin'],
        ['exp', 4102444800],
        ['aud', '*@*'],
        ['jti', 'other'],
      )
      .map(([claim, value]) =>
        mutation(`claim ${claim} changed after signing`, 'TOKEN_BAD_SIGNATURE', async () => {
          const [header, , signature] = (await makeGoodToken(good)).split('.');
          return `${header}.${b64({ ...goodClaims(good), [claim]: value })}.${signature}`;
        }),
      ),
    fc.constantFrom(['typ', 'JOSE'], ['ver', '3']).map(([member, value]) =>
      mutation(`header ${member} changed after signing`, 'TOKEN_BAD_SIGNATURE', async () => {
        const [, payload, signature] = (await makeGoodToken(good)).split('.');
        return `${b64({ ...HEADER, kid: good.trusted.kid, [member as string]: value })}.${payload}.${signature}`;
      }),
    ),
    fc.constant(
      mutation('signed by an untrusted key that claims the trusted kid', 'TOKEN_BAD_SIGNATURE', () =>
        signWith(goodClaims(good), { ...HEADER, kid: good.trusted.kid }, good.untrusted.privateKey),
      ),
    ),
    // EDGE-TRUST-10
    fc
      .constantFrom('none', 'None', 'NONE')
      .map((alg) =>
        mutation(`alg ${alg}, unsigned`, 'TOKEN_BAD_ALGORITHM', async () => `${b64({ ...HEADER, alg, kid: good.trusted.kid })}.${b64(goodClaims(good))}.`),
      ),
    fc.tuple(fc.constantFrom('HS256', 'HS384', 'HS512'), fc.constantFrom('pem', 'der') as fc.Arbitrary<'pem' | 'der'>).map(([alg, format]) =>
      mutation(`${alg} with the trusted public key (${format}) as secret`, 'TOKEN_BAD_ALGORITHM', () => {
        const secret = good.trusted.publicKey.export({ type: 'spki', format: format as 'pem' });
        return signWith(goodClaims(good), { ...HEADER, alg, kid: good.trusted.kid }, Buffer.from(secret));
      }),
    ),
    fc
      .constantFrom('RS384', 'RS512', 'PS256', 'PS384', 'PS512')
      .map((alg) =>
        mutation(`alg ${alg} with the trusted key`, 'TOKEN_BAD_ALGORITHM', () =>
          signWith(goodClaims(good), { ...HEADER, alg, kid: good.trusted.kid }, good.trusted.privateKey),
        ),
      ),
    // EDGE-TRUST-11
    fc
      .stringMatching(/^[A-Za-z0-9_-]{43}$/)
      .filter((kid) => kid !== good.trusted.kid)
      .map((kid) => mutation('unknown kid', 'TOKEN_UNTRUSTED_ISSUER', () => signWith(goodClaims(good), { ...HEADER, kid }, good.trusted.privateKey))),
    fc.constant(mutation('no kid', 'TOKEN_UNTRUSTED_ISSUER', () => signWith(goodClaims(good), { ...HEADER }, good.trusted.privateKey))),
    fc.constant(
      mutation('signed by an untrusted key under its own kid', 'TOKEN_UNTRUSTED_ISSUER', () =>
        signWith(goodClaims(good), { ...HEADER, kid: good.untrusted.kid }, good.untrusted.privateKey),
      ),
    ),
    // EDGE-TRUST-13
    seconds.map((late) => mutation(`expired ${late}s beyond the skew`, 'TOKEN_EXPIRED', () => resigned(good, (c) => ({ ...c, exp: nowSecs() - skew - late })))),
    seconds.map((early) =>
      mutation(`nbf ${early}s beyond the skew`, 'TOKEN_NOT_YET_VALID', () => resigned(good, (c) => ({ ...c, nbf: nowSecs() + skew + early }))),
    ),
    seconds.map((early) =>
      mutation(`iat ${early}s beyond the skew`, 'TOKEN_NOT_YET_VALID', () => resigned(good, (c) => ({ ...c, iat: nowSecs() + skew + early }))),
    ),
    // EDGE-TRUST-14
    fc
      .oneof(otherServiceId, fc.constantFrom('jfds@*', 'jfmc@*', 'jfac@*', 'jfrt', '*'), fc.array(otherServiceId, { minLength: 1, maxLength: 3 }))
      .map((aud) => mutation(`audience ${JSON.stringify(aud)}`, 'TOKEN_WRONG_AUDIENCE', () => resigned(good, (c) => ({ ...c, aud })))),
    // EDGE-TRUST-15
    fc
      .constantFrom('api:*', '', 'member-of-groups:', 'jfrt@01abc:admin internal:x', 'applied-permissions/users')
      .map((scp) => mutation(`scope ${JSON.stringify(scp)}`, 'TOKEN_BAD_SCOPE', () => resigned(good, (c) => ({ ...c, scp })))),
    fc.constant(
      mutation('user scope, subject names no user', 'TOKEN_BAD_SCOPE', () =>
        resigned(good, (c) => ({ ...c, sub: 'jfrt@01issuer', scp: 'applied-permissions/user' })),
      ),
    ),
    // EDGE-TRUST-9
    malformed(good),
  );
}

function malformed(good: GoodToken): fc.Arbitrary<Mutation> {
  const withClaims = (respect: string, change: (c: TokenClaims) => Record<string, unknown>) =>
    mutation(respect, 'TOKEN_MALFORMED', () => resigned(good, change));
  return fc.oneof(
    fc
      .stringMatching(/^[!-~]{1,300}$/)
      .filter((text) => text.split('.').length !== 3)
      .map((text) => mutation('random text', 'TOKEN_MALFORMED', async () => text, false)),
    fc.nat().map((cut) =>
      mutation(
        'cut before its last dot',
        'TOKEN_MALFORMED',
        async () => {
          const token = await makeGoodToken(good);
          return token.slice(0, cut % token.lastIndexOf('.')) || 'x';
        },
        false,
      ),
    ),
    fc.constant(mutation('a fourth part', 'TOKEN_MALFORMED', async () => `${await makeGoodToken(good)}.e30`, false)),
    fc
      .constantFrom('+', '/', '=', '*')
      .map((char) => mutation(`'${char}' in the signature`, 'TOKEN_MALFORMED', async () => `${await makeGoodToken(good)}${char}`, false)),
    fc.constantFrom('not json', '[1,2]', '"text"', 'null').map((header) =>
      mutation(
        `header ${header}`,
        'TOKEN_MALFORMED',
        async () => {
          const [, payload, signature] = (await makeGoodToken(good)).split('.');
          return `${b64(header)}.${payload}.${signature}`;
        },
        false,
      ),
    ),
    fc.constantFrom('not json', '[1,2]', '42').map((payload) =>
      mutation(`payload ${payload}`, 'TOKEN_MALFORMED', async () => {
        const [header, , signature] = (await makeGoodToken(good)).split('.');
        return `${header}.${b64(payload)}.${signature}`;
      }),
    ),
    fc
      .constantFrom<[string, unknown]>(
        ['exp', 'tomorrow'],
        ['exp', undefined],
        ['sub', 42],
        ['sub', undefined],
        ['aud', 7],
        ['aud', []],
        ['scp', undefined],
        ['nbf', 'soon'],
      )
      .map(([claim, value]) => withClaims(`claim ${claim} = ${JSON.stringify(value) ?? 'missing'}`, (c) => ({ ...c, [claim]: value }))),
    fc
      .constantFrom<[string, unknown]>(
        ['jku', 'https://attacker.example/jwks'],
        ['jwk', { kty: 'RSA', n: 'AQAB', e: 'AQAB' }],
        ['x5u', 'https://attacker.example/cert'],
        ['x5c', ['MIIB']],
        ['crit', ['exp']],
      )
      .map(([member, value]) =>
        mutation(`header member ${member}`, 'TOKEN_MALFORMED', async () =>
          signRaw(goodClaims(good), { ...HEADER, kid: good.trusted.kid, [member]: value }, good.trusted.privateKey),
        ),
      ),
  );
}
