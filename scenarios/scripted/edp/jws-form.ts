import { EDP_BASE } from '../../../protocol/wire/edp.ts';
import { start } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { b64url, compactJws, cutTo, distributionForm, segmentsOf } from '../../kit/jws.ts';
import { scenario } from '../../kit/scenario.ts';
import { open, refusalSeries } from '../../kit/transactions.ts';
import { rs256, signing, withHeader } from './signing.ts';

/**
 * EDP-SIG-1: the forms a bundle arrives in. A compact JWS has exactly one accepted spelling per
 * byte string; Distribution's `?format=jws` object is joined as received.
 */

export const jwsFormScenarios = [
  scenario({
    id: 'edp/jws-forms-accepted',
    title: "a compact JWS, Distribution's ?format=jws object and a header with typ open the same transaction",
    requirements: ['EDP-SIG-1', 'EDP-SIG-3', 'EDP-SIG-8', 'EDP-TX-4'],
    async run(t) {
      const s = await signing(t);
      const first = await t.step('start with the compact JWS', () => open(t, { payload: s.payload, jws: s.good, files: [] }));
      await t.step("Distribution's JSON form of the same JWS is the same bundle", async () => {
        const res = await start(t, distributionForm(s.good));
        expect(res.status, res.text).toBe(200);
        expect(res.json()).toMatchObject({ id: first.id, state: 'OPEN' });
      });
      await t.step('a header that adds typ, over the same payload bytes, is the same bundle', async () => {
        const res = await start(t, withHeader(s, { alg: 'RS256', kid: s.kid, typ: 'JWT' }));
        expect(res.status, res.text).toBe(200);
        expect(res.json()).toMatchObject({ id: first.id, state: 'OPEN' });
      });
    },
  }),

  scenario({
    id: 'edp/jws-form-refused',
    title: 'anything but three canonical base64url segments, or exactly the Distribution object, is 400 EDP_BUNDLE_MALFORMED and creates nothing',
    requirements: ['EDP-SIG-1', 'EDP-TX-2', 'EDP-TX-3'],
    async run(t) {
      const s = await signing(t);
      const [header, payload, signature] = segmentsOf(s.good);
      const signed = (payloadSegment: string) => compactJws(header, payloadSegment, rs256(s.key));
      // A payload text whose byte length leaves 4 unused bits in its last base64url character,
      // so that a second spelling of the same bytes exists (one unused bit set).
      let text = JSON.stringify(s.payload);
      while (Buffer.byteLength(text) % 3 !== 1) text += ' ';
      const canonical = b64url(text);
      const zeroBits = 'AQgw'.indexOf(canonical.at(-1) ?? '');
      expect(zeroBits, 'a final character carrying 2 bits is A, Q, g or w').toBeGreaterThanOrEqual(0);
      const nonCanonical = canonical.slice(0, -1) + 'BRhx'[zeroBits];
      // A payload in the standard alphabet ('+' or '/'), found by padding its description.
      let standard = '';
      for (let pad = 0; !/[+/]/.test(standard); pad++) {
        const variant = JSON.stringify({ ...s.payload, description: `${' '.repeat(pad)}>>>???` });
        standard = Buffer.from(variant).toString('base64').replace(/=+$/, '');
      }
      const post = (json: unknown) => t.http('POST', `${EDP_BASE}/transactions`, { json });
      const cases: [string, () => Promise<RawResponse>][] = [
        ['no bundle member', () => post({})],
        ['a bundle that is not a string', () => post({ bundle: 42 })],
        ['an empty bundle', () => start(t, '')],
        ['one segment', () => start(t, header)],
        ['two segments', () => start(t, `${header}.${payload}`)],
        ['four segments', () => start(t, `${s.good}.${signature}`)],
        ['an empty payload, signed', () => start(t, signed(''))],
        ['padding after the header', () => start(t, `${header}=.${payload}.${signature}`)],
        ['padding after the payload, signed', () => start(t, signed(`${payload}=`))],
        ['padding after the signature', () => start(t, `${s.good}=`)],
        ['a trailing newline', () => start(t, `${s.good}\n`)],
        ['a space inside the payload', () => start(t, `${header}.${payload.slice(0, 8)} ${payload.slice(8)}.${signature}`)],
        ['the standard base64 alphabet, signed', () => start(t, signed(standard))],
        ['a non-zero unused bit in the last character, signed', () => start(t, signed(nonCanonical))],
        ['a signature cut to a length base64url cannot have', () => start(t, s.good.slice(0, -cutTo(signature, 1)))],
        ['the Distribution object with a fourth member', () => start(t, JSON.stringify({ header, payload, signature, extra: 'x' }))],
        ['the Distribution object without its signature', () => start(t, JSON.stringify({ header, payload }))],
        ['the Distribution object with a non-string member', () => start(t, JSON.stringify({ header, payload: 7, signature }))],
        ['the Distribution parts as an array', () => start(t, JSON.stringify([header, payload, signature]))],
      ];
      const refused = await refusalSeries(t);
      for (const [label, send] of cases) await t.step(label, () => refused.send(send, 400, 'EDP_BUNDLE_MALFORMED'));
      await t.step('the canonical spelling of the padded payload is accepted', () => open(t, { payload: s.payload, jws: signed(canonical), files: [] }));
    },
  }),
];
