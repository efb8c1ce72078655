import { signBundle } from '../../../protocol/bundle/index.ts';
import { signingKey } from '../../kit/bundles.ts';
import { b64url, b64urlJson, compactJws, cutTo, segmentsOf } from '../../kit/jws.ts';
import { scenario } from '../../kit/scenario.ts';
import { refusalSeries } from '../../kit/transactions.ts';
import { otherKid, signing, withHeader } from './signing.ts';

/**
 * EDP-SIG-5, EDP-SIG-7, EDP-SIG-8: the key is the one the kid names, and the signature covers
 * exactly the header and payload segments received; any change to either is a bad signature.
 */

/** `bytes` with one bit flipped, at a position and bit the scenario's seed picks. */
function flipBit(bytes: Buffer, seed: number): Buffer {
  const copy = Buffer.from(bytes);
  const unsigned = seed >>> 0;
  const at = unsigned % copy.length;
  copy[at] = (copy[at] ?? 0) ^ (1 << (unsigned % 8));
  return copy;
}

export const signatureScenarios = [
  scenario({
    id: 'edp/signature-over-received-bytes',
    title: 'a signature that does not verify over the received header and payload segments is 403 EDP_BAD_SIGNATURE',
    requirements: ['EDP-SIG-7', 'EDP-SIG-8', 'EDP-TX-3'],
    async run(t) {
      const s = await signing(t);
      const [header, payload, signature] = segmentsOf(s.good);
      const other = await signingKey(t, 'untrusted-signing');
      const refused = await refusalSeries(t);
      const cases: [string, string][] = [
        ["the trusted kid over another key's signature", await signBundle(s.payload, { kid: s.kid, jwk: other.jwk })],
        ['the payload changed after signing', `${header}.${b64urlJson({ ...s.payload, description: 'changed after signing' })}.${signature}`],
        [`one payload bit flipped (seed ${t.seed})`, `${header}.${b64url(flipBit(Buffer.from(payload, 'base64url'), t.seed))}.${signature}`],
        [`one signature bit flipped (seed ${t.seed})`, `${header}.${payload}.${b64url(flipBit(Buffer.from(signature, 'base64url'), t.seed))}`],
        ['the same header members re-encoded with spaces', `${b64url(`{"alg": "RS256", "kid": "${s.kid}"}`)}.${payload}.${signature}`],
        ['the same payload re-encoded with indentation', `${header}.${b64url(JSON.stringify(s.payload, null, 2))}.${signature}`],
        ['the signature cut to fewer whole bytes', s.good.slice(0, -cutTo(signature, 0))],
        ['an empty signature', `${header}.${payload}.`],
      ];
      for (const [label, jws] of cases) await t.step(label, () => refused.start(jws, 403, 'EDP_BAD_SIGNATURE'));
    },
  }),

  scenario({
    id: 'edp/unknown-kid',
    title: 'a kid the Edge does not trust is 403 EDP_UNTRUSTED_KEY, whoever signed',
    requirements: ['EDP-SIG-5', 'EDP-TX-3'],
    async run(t) {
      const s = await signing(t);
      const untrusted = await signingKey(t, 'untrusted-signing');
      const refused = await refusalSeries(t);
      await t.step('an unknown kid over a signature by the trusted key', () =>
        refused.start(withHeader(s, { alg: 'RS256', kid: otherKid(s.kid) }), 403, 'EDP_UNTRUSTED_KEY'),
      );
      await t.step('a key nobody trusted, under its own kid', async () => refused.start(await signBundle(s.payload, untrusted), 403, 'EDP_UNTRUSTED_KEY'));
    },
  }),

  scenario({
    id: 'edp/checks-in-order',
    title: 'a bundle with several defects is refused for the first one in the order of the protocol',
    requirements: ['EDP-SIG-23', 'EDP-TX-3'],
    async run(t) {
      const s = await signing(t);
      const [header, payload] = segmentsOf(s.good);
      const other = await signingKey(t, 'untrusted-signing');
      const [file] = s.payload.artifacts;
      if (!file) throw new Error('the signed payload has a file');
      const unknownKid = { alg: 'RS256', kid: otherKid(s.kid) };
      const over = (artifacts: object[]) => signBundle(new TextEncoder().encode(JSON.stringify({ ...s.payload, artifacts })), s.key);
      const huge = Number.MAX_SAFE_INTEGER;
      const refused = await refusalSeries(t);
      const cases: [string, () => Promise<string>, number, string][] = [
        ['the form before the key: two segments under an unknown kid', async () => `${b64urlJson(unknownKid)}.${payload}`, 400, 'EDP_BUNDLE_MALFORMED'],
        ['alg before kid: HS256 with a malformed kid', async () => withHeader(s, { alg: 'HS256', kid: 'XYZ' }), 403, 'EDP_BAD_SIGNATURE'],
        [
          'alg before header members: none with crit',
          async () => withHeader(s, { alg: 'none', kid: s.kid, crit: ['exp'] }, { alg: 'none' }),
          403,
          'EDP_BAD_SIGNATURE',
        ],
        [
          'header members before the key: an unknown member under an unknown kid',
          async () => withHeader(s, { ...unknownKid, 'x-note': 1 }),
          400,
          'EDP_BUNDLE_MALFORMED',
        ],
        [
          'kid form before the key: an unknown kid in upper case',
          async () => withHeader(s, { alg: 'RS256', kid: otherKid(s.kid).toUpperCase() }),
          400,
          'EDP_BUNDLE_MALFORMED',
        ],
        [
          'the key before the signature: an unknown kid over a bad signature',
          async () => compactJws(b64urlJson(unknownKid), payload, { alg: 'RS256', key: other }),
          403,
          'EDP_UNTRUSTED_KEY',
        ],
        [
          'the signature before the payload: a bad name under a bad signature',
          async () => signBundle({ ...s.payload, name: '-' }, { kid: s.kid, jwk: other.jwk }),
          403,
          'EDP_BAD_SIGNATURE',
        ],
        [
          'the signature before the encoding: bytes that are not JSON under a bad signature',
          async () => `${header}.${b64url('not json')}.${segmentsOf(s.good)[2]}`,
          403,
          'EDP_BAD_SIGNATURE',
        ],
        [
          'members before the total size: a bad checksum in a bundle over any limit',
          async () =>
            over([
              { ...file, size: huge },
              { ...file, repo_path: `${file.repo_path}.2`, size: huge, checksum: 'X' },
            ]),
          400,
          'EDP_BUNDLE_MALFORMED',
        ],
        [
          'duplicates before the total size',
          async () =>
            over([
              { ...file, size: huge },
              { ...file, size: huge },
            ]),
          400,
          'EDP_BUNDLE_MALFORMED',
        ],
        [
          'file/folder conflicts before the total size',
          async () =>
            over([
              { ...file, size: huge },
              { ...file, repo_path: `${file.repo_path}/inner`, size: huge },
            ]),
          400,
          'EDP_BUNDLE_MALFORMED',
        ],
      ];
      for (const [label, jws, status, code] of cases) await t.step(label, async () => refused.start(await jws(), status, code));
    },
  }),
];
