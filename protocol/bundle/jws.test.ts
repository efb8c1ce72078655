import { describe, expect, it } from 'vitest';
import { EdgeError } from '../errors.ts';
import { parseJws, toCompactJws } from './jws.ts';

const KID = '0123456789abcdef';
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const PAYLOAD = '{"name":"app"}';
const SIGNATURE = Buffer.from('not checked by the parser').toString('base64url');

function jws(header: string, payload = PAYLOAD, signature = SIGNATURE): string {
  return `${b64(header)}.${b64(payload)}.${signature}`;
}
const GOOD = jws(`{"alg":"RS256","kid":"${KID}"}`);

function refusal(run: () => unknown): EdgeError {
  try {
    run();
  } catch (err) {
    if (err instanceof EdgeError) return err;
    throw err;
  }
  throw new Error('was accepted');
}

describe('parseJws', () => {
  it('returns the header, the exact payload bytes and the JWS unchanged', () => {
    const parsed = parseJws(GOOD);
    expect(parsed.header).toEqual({ alg: 'RS256', kid: KID });
    expect(Buffer.from(parsed.payloadBytes).toString()).toBe(PAYLOAD);
    expect(parsed.compact).toBe(GOOD);
  });

  it('keeps payload bytes that JSON would re-serialise differently', () => {
    const payload = '{ "name" : "app",\n  "x": 1.0e0 }';
    expect(Buffer.from(parseJws(jws(`{"alg":"RS256","kid":"${KID}"}`, payload)).payloadBytes).toString()).toBe(payload);
  });

  it('accepts a typ member', () => {
    expect(parseJws(jws(`{"typ":"JWT","alg":"RS256","kid":"${KID}"}`)).header).toEqual({ alg: 'RS256', kid: KID, typ: 'JWT' });
  });

  describe('refuses a structure that is not a compact JWS (EDP-SIG-1)', () => {
    it.each([
      ['two segments', GOOD.split('.').slice(0, 2).join('.'), 'JWS must have 3 dot-separated segments, found 2'],
      ['four segments', `${GOOD}.${SIGNATURE}`, 'JWS must have 3 dot-separated segments, found 4'],
      ['an empty string', '', 'JWS must have 3 dot-separated segments, found 1'],
      ['padding in the header', jws('{"alg":"RS256","kid":"0123456789abcdef"}').replace('.', '=.'), 'JWS header is not unpadded base64url'],
      ['padding in the signature', `${GOOD}==`, 'JWS signature is not unpadded base64url'],
      ['standard base64 characters', GOOD.replace(/^(.)/, '+'), 'JWS header is not unpadded base64url'],
      ['whitespace', ` ${GOOD}`, 'JWS header is not unpadded base64url'],
      ['a trailing newline', `${GOOD}\n`, 'JWS signature is not unpadded base64url'],
      ['non-zero trailing bits', `${b64('{"alg":"RS256","kid":"0123456789abcdef"}')}.${b64(PAYLOAD)}.AB`, 'JWS signature is not unpadded base64url'],
      ['an empty payload', `${b64(`{"alg":"RS256","kid":"${KID}"}`)}..${SIGNATURE}`, 'JWS payload is empty'],
    ])('%s', (_label, input, message) => {
      const err = refusal(() => parseJws(input));
      expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
      expect(err.message).toBe(message);
    });
  });

  describe('refuses any algorithm but RS256 with EDP_BAD_SIGNATURE (EDP-SIG-2)', () => {
    it.each(['none', 'None', 'HS256', 'RS384', 'RS512', 'PS256', 'ES256', 'EdDSA', 'rs256', ''])('%j', (alg) => {
      const err = refusal(() => parseJws(jws(`{"alg":${JSON.stringify(alg)},"kid":"${KID}"}`, PAYLOAD, '')));
      expect(err.code).toBe('EDP_BAD_SIGNATURE');
      expect(err.message).toBe(`JWS algorithm ${JSON.stringify(alg)} is not accepted; bundles must be signed with RS256`);
    });

    it('refuses alg none even without a kid', () => {
      expect(refusal(() => parseJws(jws('{"alg":"none"}', PAYLOAD, ''))).code).toBe('EDP_BAD_SIGNATURE');
    });
  });

  describe('refuses a malformed header (EDP-SIG-3)', () => {
    it.each([
      ['not JSON', 'alg=RS256', 'JWS header is not valid JSON'],
      ['an array', '["RS256"]', 'JWS header must be a JSON object'],
      ['no alg', `{"kid":"${KID}"}`, 'JWS header "alg" must be a string'],
      ['alg not a string', `{"alg":256,"kid":"${KID}"}`, 'JWS header "alg" must be a string'],
      ['a duplicated alg', `{"alg":"none","alg":"RS256","kid":"${KID}"}`, 'JWS header has the member "alg" more than once'],
      ['crit', `{"alg":"RS256","kid":"${KID}","crit":["b64"],"b64":false}`, 'JWS header has the unsupported member "crit"'],
      ['an embedded jwk', `{"alg":"RS256","kid":"${KID}","jwk":{"kty":"RSA"}}`, 'JWS header has the unsupported member "jwk"'],
      ['a jku', `{"alg":"RS256","kid":"${KID}","jku":"https://attacker.test/keys"}`, 'JWS header has the unsupported member "jku"'],
      ['typ not a string', `{"alg":"RS256","kid":"${KID}","typ":1}`, 'JWS header "typ" must be a string'],
    ])('%s', (_label, header, message) => {
      const err = refusal(() => parseJws(jws(header)));
      expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
      expect(err.message).toContain(message);
    });

    it('refuses a header that is not UTF-8', () => {
      const input = `${Buffer.from([0x7b, 0xc3]).toString('base64url')}.${b64(PAYLOAD)}.${SIGNATURE}`;
      expect(refusal(() => parseJws(input)).message).toBe('JWS header is not valid UTF-8');
    });
  });

  describe('refuses a kid that is not 16 lowercase hex digits (EDP-SIG-4)', () => {
    it.each([
      ['missing', '{"alg":"RS256"}', 'JWS header has no "kid"'],
      ['a number', '{"alg":"RS256","kid":1}', 'JWS header "kid" must be a string'],
      ['upper case', '{"alg":"RS256","kid":"0123456789ABCDEF"}', 'got "0123456789ABCDEF"'],
      ['JFrog short form', '{"alg":"RS256","kid":"bb9f43"}', 'got "bb9f43"'],
      ['a fingerprint', `{"alg":"RS256","kid":"${'a'.repeat(40)}"}`, `got "${'a'.repeat(40)}"`],
      ['prefixed', `{"alg":"RS256","kid":"0x${KID}"}`, `got "0x${KID}"`],
    ])('%s', (_label, header, message) => {
      const err = refusal(() => parseJws(jws(header)));
      expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
      expect(err.message).toContain(message);
    });
  });
});

describe('toCompactJws', () => {
  const [header = '', payload = '', signature = ''] = GOOD.split('.');

  it('returns a compact JWS unchanged', () => {
    expect(toCompactJws(GOOD)).toBe(GOOD);
  });

  it("joins Distribution's JSON form part by part (EDP-SIG-1)", () => {
    expect(toCompactJws(JSON.stringify({ header, payload, signature }))).toBe(GOOD);
  });

  it.each([
    ['an extra member', JSON.stringify({ header, payload, signature, protected: header }), 'JWS JSON has the unexpected member "protected"'],
    ['a missing signature', JSON.stringify({ header, payload }), 'JWS JSON member "signature" must be a string'],
    ['a non-string payload', JSON.stringify({ header, payload: {}, signature }), 'JWS JSON member "payload" must be a string'],
    ['broken JSON', '{"header":', 'JWS JSON is not valid JSON'],
  ])('refuses the JSON form with %s', (_label, input, message) => {
    const err = refusal(() => toCompactJws(input));
    expect(err.code).toBe('EDP_BUNDLE_MALFORMED');
    expect(err.message).toContain(message);
  });
});
