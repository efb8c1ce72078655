import { harnessMaterial } from '../fixtures/keys/index.ts';
import { type ReportFormat, writeReports } from '../reports/index.ts';
import { DEFAULT_PROFILES, embeddedTarget, type RunResult, runConformance, SUITE, scenario, writeReplays } from '../scenarios/index.ts';
import { expect as check } from '../scenarios/kit/expect.ts';

/**
 * A small real conformance run with two deliberately failing scenarios, written as
 * `edgeproof conformance` writes it: what the report tests (report.html in Chromium, the web
 * UI's conformance view) open and look at.
 */

export const SEED = 20261130;

/** What a hostile Edge could answer: on the page it must be text, and never run. */
export const HOSTILE_PAGE = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">';

const deliberatelyFailing = [
  scenario({
    id: 'report-demo/licence-says-enterprise',
    title: 'deliberately wrong: expects the licence to say Enterprise',
    requirements: ['EDGE-SYS-2'],
    async run(t) {
      const licence = await t.step('read the licence', () => t.http('GET', '/artifactory/api/system/license'));
      await t.step('compare its type', async () => check(licence.json()).toMatchObject({ type: 'Enterprise' }));
    },
  }),
  scenario({
    id: 'report-demo/hostile-body',
    title: 'deliberately wrong: an uploaded page with a script reads back as something else',
    requirements: ['EDGE-RO-4'],
    async run(t) {
      const path = `/artifactory/artifactory-edge-uploads/${t.name('page')}.html`;
      t.defer(() => t.http('DELETE', path));
      await t.step('upload a page with a script', async () => check((await t.http('PUT', path, { body: HOSTILE_PAGE })).status).toBe(201));
      await t.step('read it back', async () => check((await t.http('GET', path)).text).toBe('something else'));
    },
  }),
];

/** Runs two real passing scenarios and the two failing ones, and writes `formats` (and replay files) into `outDir`. */
export async function runDemoReport(outDir: string, formats: readonly ReportFormat[]): Promise<RunResult> {
  // Two real scenarios that pass and the two that must fail: the system area grows, this run does not.
  const grep = '^(system/service-id|system/license-is-edge|report-demo/.+)$';
  const ran = await runConformance({
    target: embeddedTarget(),
    scenarios: [...SUITE, ...deliberatelyFailing],
    material: harnessMaterial(),
    selection: { profiles: [...DEFAULT_PROFILES], level: 'MUST', grep },
    seed: SEED,
    runs: 5,
    suite: { name: 'edgeproof', version: 'test' },
    command: `npx edgeproof conformance --target embedded --grep '${grep}' --seed ${SEED} --runs 5`,
    today: '2026-11-30',
  });
  // As `edgeproof conformance` does: replay files first, so the report names each failure's.
  const result = await writeReplays(ran, outDir);
  await writeReports(result, outDir, formats);
  return result;
}
