import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { edgeproof } from './served-edge.ts';

/**
 * `npm test` includes a fast run of the main job: `edgeproof conformance` as a user runs it,
 * against the embedded Edge, for one profile and few property runs, with every report.
 */
describe('edgeproof conformance (the main job), a fast run', () => {
  let out: string;
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('runs the read-only profile against the embedded Edge, prints progress, exits 0 and writes every report', async () => {
    out = await mkdtemp(join(tmpdir(), 'edgeproof-conformance-'));
    const run = await edgeproof(['conformance', '--profile', 'read-only', '--seed', '7', '--runs', '2', '--out', out], {}, { killAfterMs: 280_000 });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(run.stderr).toMatch(/^edgeproof conformance: \d+ scenarios against embedded edgeproof Edge, seed 7$/m);
    expect(run.stderr).toMatch(/^✓ \[\s*1\/\d+\] \S+ \(\d+ ms\)$/m);
    expect(run.stderr).toMatch(/MUST requirements: (\d+)\/\1 passed/);
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as {
      ok: boolean;
      seed: number;
      scenarios: { status: string }[];
      requirements: { profile: string; verdict: string }[];
    };
    expect(result.ok).toBe(true);
    expect(result.seed).toBe(7);
    expect(result.scenarios.length).toBeGreaterThan(0);
    expect(new Set(result.requirements.map((r) => r.profile))).toEqual(new Set(['read-only']));
    expect(result.requirements.every((r) => r.verdict === 'passed')).toBe(true);
    for (const file of ['junit.xml', 'report.html', 'summary.md']) expect((await stat(join(out, file))).size, file).toBeGreaterThan(0);
  }, 300_000);
});
