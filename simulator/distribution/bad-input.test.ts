import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundleSpec, keyUpload, MC_AUTH, platform, type SourceFile } from './__fixtures__/platform.ts';

const FILES: SourceFile[] = [{ repoPath: 'libs-local/a.txt', bytes: Buffer.from('a') }];

/** Arbitrary JSON, and near-misses of valid bodies: each field replaced by arbitrary JSON. */
function bodies(valid: Record<string, unknown>) {
  const mutated = fc.record({ key: fc.constantFrom(...Object.keys(valid)), value: fc.jsonValue() }).map(({ key, value }) => ({ ...valid, [key]: value }));
  return fc.oneof(
    fc.jsonValue(),
    mutated,
    fc.string().map((text) => ({ raw: text })),
  );
}

describe('bad input is answered with 4xx, never 5xx', () => {
  it('on every Distribution and Mission Control write endpoint', async () => {
    const p = await platform([{ name: 'US_Edge', city: 'NYC', country: 'US' }], FILES);
    await p.call('POST', '/keys/gpg', keyUpload('main'));
    await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'prod', { sign_immediately: true }));
    const targets: [string, Record<string, unknown>][] = [
      ['/release_bundle', bundleSpec('app', '2.0', 'libs-local', 'prod')],
      ['/distribution/app/1.0', { dry_run: true, distribution_rules: [{ site_name: 'U?_*', country_codes: ['us'] }] }],
      ['/distribution/app/1.0/delete', { dry_run: true, distribution_rules: [{}], on_success: 'keep' }],
      ['/keys/gpg', keyUpload('other')],
      ['/release_bundle/app/1.0/sign', { storing_repository: 'x' }],
    ];
    for (const [path, valid] of targets) {
      await fc.assert(
        fc.asyncProperty(bodies(valid), async (body) => {
          const sent = typeof body === 'object' && body !== null && 'raw' in body ? String(body.raw) : body;
          const res = await p.call('POST', path, sent);
          expect(res.status, `${path} ${res.text}`).toBeLessThan(500);
        }),
        { numRuns: 60, seed: 42 },
      );
    }
    await fc.assert(
      fc.asyncProperty(
        bodies({ name: 'x', url: 'http://x.test', location: { city_name: 'c', country_code: 'US', latitude: 0, longitude: 0 }, token: 't' }),
        async (body) => {
          const res = await p.mc.app.request('/mc/api/v1/jpds', { method: 'POST', headers: { authorization: MC_AUTH }, body: JSON.stringify(body) });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 100, seed: 42 },
    );
  });
});
