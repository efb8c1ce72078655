import { b64url, compactJws, type Signer } from '../../kit/jws.ts';
import { scenario } from '../../kit/scenario.ts';
import { refusalSeries } from '../../kit/transactions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { otherKid, signing, withHeader, type Signing } from './signing.ts';

/**
 * EDP-SIG-2 … EDP-SIG-4: the protected header. Each header is signed correctly for what it
 * claims (RS256 with the trusted key unless the case says otherwise), so only the header rule
 * decides.
 */

interface HeaderCase {
  label: string;
  /** A header object, exact JSON text, or exact bytes. */
  header: object | string | Buffer;
  signer?: (s: Signing, t: ScenarioContext) => Signer;
}

function jwsOf(s: Signing, t: ScenarioContext, c: HeaderCase): string {
  const signer = c.signer?.(s, t);
  if (Buffer.isBuffer(c.header)) return compactJws(b64url(c.header), s.payloadSegment, signer ?? { alg: 'RS256', key: s.key });
  return withHeader(s, c.header, signer);
}

async function refuseEach(t: ScenarioContext, cases: (s: Signing) => HeaderCase[] | Promise<HeaderCase[]>, status: number, code: string): Promise<void> {
  const s = await signing(t);
  const refused = await refusalSeries(t);
  for (const c of await cases(s)) await t.step(c.label, () => refused.start(jwsOf(s, t, c), status, code));
}

/** The trusted key's fingerprint (40 hex digits), as the trusted keys API lists it. */
async function fingerprintOf(t: ScenarioContext, kid: string): Promise<string> {
  const key = (await t.clients().edp.trustedKeys()).find((k) => k.kid === kid);
  return (key?.fingerprint ?? kid.padStart(40, '0')).replaceAll(':', '');
}

export const jwsHeaderScenarios = [
  scenario({
    id: 'edp/jws-alg-other-than-rs256',
    title: 'every alg but RS256 is 403 EDP_BAD_SIGNATURE, also keyed with the trusted public key and before the kid is looked up',
    requirements: ['EDP-SIG-2', 'EDP-TX-3'],
    async run(t) {
      await refuseEach(
        t,
        (s) => [
          { label: 'none, with an empty signature', header: { alg: 'none', kid: s.kid }, signer: () => ({ alg: 'none' }) },
          {
            label: 'HS256 keyed with the trusted armored public key',
            header: { alg: 'HS256', kid: s.kid },
            signer: (_s, tc) => ({ alg: 'HS256', secret: tc.material.publicKey('bundle-signing') }),
          },
          {
            label: 'HS256 under an unknown kid (no key is looked up)',
            header: { alg: 'HS256', kid: otherKid(s.kid) },
            signer: (_s, tc) => ({ alg: 'HS256', secret: tc.material.publicKey('bundle-signing') }),
          },
          { label: 'RS512 signed with the trusted key', header: { alg: 'RS512', kid: s.kid }, signer: () => ({ alg: 'RS512', key: s.key }) },
          { label: 'PS256 signed with the trusted key', header: { alg: 'PS256', kid: s.kid }, signer: () => ({ alg: 'PS256', key: s.key }) },
          { label: 'ES256 over an RS256 signature', header: { alg: 'ES256', kid: s.kid } },
          { label: 'rs256 in lower case', header: { alg: 'rs256', kid: s.kid } },
          { label: 'an empty alg', header: { alg: '', kid: s.kid } },
        ],
        403,
        'EDP_BAD_SIGNATURE',
      );
    },
  }),

  scenario({
    id: 'edp/jws-alg-missing',
    title: 'a header without a string alg is 400 EDP_BUNDLE_MALFORMED',
    requirements: ['EDP-SIG-2', 'EDP-TX-3'],
    async run(t) {
      await refuseEach(
        t,
        (s) => [
          { label: 'no alg', header: { kid: s.kid } },
          { label: 'alg a number', header: { alg: 256, kid: s.kid } },
          { label: 'alg null', header: { alg: null, kid: s.kid } },
          { label: 'alg an array', header: { alg: ['RS256'], kid: s.kid } },
        ],
        400,
        'EDP_BUNDLE_MALFORMED',
      );
    },
  }),

  scenario({
    id: 'edp/jws-header-members',
    title: 'a header with members other than alg, kid and a string typ, or that is not an I-JSON object, is 400 EDP_BUNDLE_MALFORMED',
    requirements: ['EDP-SIG-3', 'EDP-TX-3'],
    async run(t) {
      await refuseEach(
        t,
        (s) => [
          { label: 'crit', header: { alg: 'RS256', kid: s.kid, crit: ['exp'] } },
          { label: 'b64', header: { alg: 'RS256', kid: s.kid, b64: false } },
          { label: 'jwk', header: { alg: 'RS256', kid: s.kid, jwk: { kty: 'RSA', n: s.key.jwk.n, e: s.key.jwk.e } } },
          { label: 'jku', header: { alg: 'RS256', kid: s.kid, jku: 'https://keys.example.test/jwks.json' } },
          { label: 'x5c', header: { alg: 'RS256', kid: s.kid, x5c: ['MIIB'] } },
          { label: 'x5u', header: { alg: 'RS256', kid: s.kid, x5u: 'https://keys.example.test/cert.pem' } },
          { label: 'an unknown member', header: { alg: 'RS256', kid: s.kid, 'x-note': 'hello' } },
          { label: 'typ a number', header: { alg: 'RS256', kid: s.kid, typ: 1 } },
          { label: 'kid twice', header: `{"alg":"RS256","kid":"${s.kid}","kid":"${s.kid}"}` },
          { label: 'alg twice, once spelled with an escape', header: `{"alg":"RS256","kid":"${s.kid}","\\u0061lg":"RS256"}` },
          { label: 'not JSON', header: `alg=RS256&kid=${s.kid}` },
          { label: 'a JSON array', header: `["RS256","${s.kid}"]` },
          { label: 'a byte order mark', header: `\ufeff{"alg":"RS256","kid":"${s.kid}"}` },
          { label: 'not UTF-8', header: Buffer.concat([Buffer.from(`{"alg":"RS256","kid":"${s.kid}","typ":"`), Buffer.from([0xff]), Buffer.from('"}')]) },
        ],
        400,
        'EDP_BUNDLE_MALFORMED',
      );
    },
  }),

  scenario({
    id: 'edp/jws-kid-form',
    title: 'a kid that is not the 16 lowercase hex digit key id is 400 EDP_BUNDLE_MALFORMED, even when it names the trusted key',
    requirements: ['EDP-SIG-4', 'EDP-TX-3'],
    async run(t) {
      await refuseEach(
        t,
        async (s) => [
          { label: 'no kid', header: { alg: 'RS256' } },
          { label: 'upper case', header: { alg: 'RS256', kid: s.kid.toUpperCase() } },
          { label: "JFrog's short form", header: { alg: 'RS256', kid: s.kid.slice(-6) } },
          { label: 'the fingerprint', header: { alg: 'RS256', kid: await fingerprintOf(t, s.kid) } },
          { label: 'a 0x prefix', header: { alg: 'RS256', kid: `0x${s.kid}` } },
          { label: '15 digits', header: { alg: 'RS256', kid: s.kid.slice(1) } },
          { label: '17 digits', header: { alg: 'RS256', kid: `0${s.kid}` } },
          { label: 'a number', header: { alg: 'RS256', kid: 1234567890123456 } },
        ],
        400,
        'EDP_BUNDLE_MALFORMED',
      );
    },
  }),
];
