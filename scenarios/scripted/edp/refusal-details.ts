import { signBundle } from '../../../protocol/bundle/index.ts';
import { payloadOf, signingKey } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, freshFile, refusalSeries } from '../../kit/transactions.ts';
import { otherKid, withHeader, type Signing } from './signing.ts';

/**
 * EDP-SIG-24 (SHOULD): a refused bundle says exactly what is wrong, in the message and in members
 * of the error entry a client can act on.
 */

export const refusalDetailScenarios = [
  scenario({
    id: 'edp/refusal-names-the-problem',
    title: 'a refused bundle names the member, the artifact index and repo_path, the duplicate, the kid, the alg or the limit',
    requirements: ['EDP-SIG-24'],
    async run(t) {
      const repo = await bundleTarget(t);
      const key = await signingKey(t);
      const files = [freshFile(t, `${repo}/details/a.bin`), freshFile(t, `${repo}/details/b.bin`)];
      const base = payloadOf(t.name('details'), '1.0', files);
      const [first, second] = base.artifacts as [(typeof base.artifacts)[number], (typeof base.artifacts)[number]];
      const sign = (payload: object) => signBundle(new TextEncoder().encode(JSON.stringify(payload)), key);
      const s: Signing = { payload: base, payloadSegment: Buffer.from(JSON.stringify(base)).toString('base64url'), key, kid: key.kid, good: '' };
      const refused = await refusalSeries(t);
      const check = async (label: string, jws: string, status: number, code: string, details: Record<string, unknown>, mentions: string[]) =>
        t.step(label, async () => {
          const res = await refused.start(jws, status, code, details);
          const { message } = (res.json() as { errors: { message: string }[] }).errors[0] ?? { message: '' };
          for (const part of mentions) expect(message, `the message names ${part}`).toContain(part);
        });
      await check(
        'a bad checksum in the second artifact',
        await sign({ ...base, artifacts: [first, { ...second, checksum: 'X' }] }),
        400,
        'EDP_BUNDLE_MALFORMED',
        { field: 'artifacts[1].checksum', index: 1, repo_path: second.repo_path },
        ['artifacts[1].checksum', second.repo_path],
      );
      await check(
        'a bad name and a bad checksum: the name first',
        await sign({ ...base, name: '-', artifacts: [{ ...first, checksum: 'X' }] }),
        400,
        'EDP_BUNDLE_MALFORMED',
        { field: 'name' },
        ['name'],
      );
      await check(
        'a duplicate path',
        await sign({ ...base, artifacts: [first, { ...second, repo_path: first.repo_path }] }),
        400,
        'EDP_BUNDLE_MALFORMED',
        { field: 'artifacts[1].repo_path', index: 1, repo_path: first.repo_path, duplicate_of: 0 },
        [first.repo_path],
      );
      await check('an unknown kid', withHeader(s, { alg: 'RS256', kid: otherKid(key.kid) }), 403, 'EDP_UNTRUSTED_KEY', { kid: otherKid(key.kid) }, [
        otherKid(key.kid),
      ]);
      await check('an alg other than RS256', withHeader(s, { alg: 'HS512', kid: key.kid }), 403, 'EDP_BAD_SIGNATURE', { alg: 'HS512' }, ['HS512']);
      await check(
        'a bundle over any limit',
        await sign({
          ...base,
          artifacts: [
            { ...first, size: Number.MAX_SAFE_INTEGER },
            { ...second, size: Number.MAX_SAFE_INTEGER },
          ],
        }),
        413,
        'EDP_BUNDLE_TOO_LARGE',
        { limit_bytes: expect.any(Number) },
        [],
      );
    },
  }),
];
