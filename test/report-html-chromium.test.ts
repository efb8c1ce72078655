import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessMaterial } from '../fixtures/keys/index.ts';
import { writeReports } from '../reports/index.ts';
import { DEFAULT_PROFILES, embeddedTarget, type RunResult, runConformance, SUITE, scenario, writeReplays } from '../scenarios/index.ts';
import { expect as check } from '../scenarios/kit/expect.ts';

/**
 * The HTML report as a person sees it: a real run against the embedded Edge with two
 * deliberately failing scenarios, its report.html opened from disk in Debian's Chromium
 * (headless, driven by playwright-core). The page must show the requirement matrix and the
 * failure's commands, run no script it did not bring, and fetch nothing.
 */

const CHROMIUM = process.env.EDGEPROOF_CHROMIUM ?? '/usr/bin/chromium';
const SEED = 20261130;

/** What a hostile Edge could answer: on the page it must be text, and never run. */
const HOSTILE_PAGE = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">';

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

describe('report.html in headless Chromium', () => {
  let browser: Browser | undefined;
  let opened: Page | undefined;
  let result: RunResult;
  let outDir: string;
  let missing: string | undefined;
  const requests: string[] = [];

  /** The page, or the one line that says Chromium is missing: every test fails with it (CI installs Chromium; nothing skips). */
  const page = (): Page => {
    if (missing) throw new Error(missing);
    return opened!;
  };

  beforeAll(async () => {
    try {
      await access(CHROMIUM);
    } catch {
      missing = `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does) or set EDGEPROOF_CHROMIUM`;
      return;
    }
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
    outDir = await mkdtemp(join(tmpdir(), 'edgeproof-report-'));
    // As `edgeproof conformance` does: replay files first, so the report names each failure's.
    result = await writeReplays(ran, outDir);
    await writeReports(result, outDir, ['html']);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    opened = await browser.newPage();
    opened.on('request', (request) => requests.push(request.url()));
    await opened.goto(pathToFileURL(join(outDir, 'report.html')).href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('the run it reports really failed where it was meant to', () => {
    page();
    expect(Object.fromEntries(result.scenarios.map((s) => [s.id, s.status]))).toEqual({
      'system/service-id': 'passed',
      'system/license-is-edge': 'passed',
      'report-demo/licence-says-enterprise': 'failed',
      'report-demo/hostile-body': 'failed',
    });
  });

  it('shows the verdict and a matrix row for each judged requirement with its verdict', async () => {
    expect(await page().locator('#run-verdict').textContent()).toBe('FAILED');
    const rows = page().locator('#matrix tbody tr');
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-requirement'), tr.querySelector('.verdict')?.textContent]));
    expect(shown).toEqual([
      ['EDGE-RO-4', 'failed'],
      ['EDGE-SYS-1', 'passed'],
      ['EDGE-SYS-2', 'failed'],
    ]);
    expect(await page().locator('#matrix tr[data-requirement="EDGE-SYS-2"] a').allTextContents()).toEqual([
      'system/license-is-edge',
      'report-demo/licence-says-enterprise',
    ]);
  });

  it("shows the failure's replay command and the command that reruns it alone", async () => {
    const failure = page().locator('article[data-scenario="report-demo/licence-says-enterprise"]');
    expect(await failure.locator('.command.replay pre').textContent()).toBe(
      `npx edgeproof replay ${join(outDir, 'replays/report-demo__licence-says-enterprise.json')}`,
    );
    // The link beside it opens the replay file the run wrote.
    const href = await failure.locator('.command.replay a').getAttribute('href');
    expect(JSON.parse(await readFile(join(outDir, href!), 'utf8'))).toMatchObject({ scenario: { id: 'report-demo/licence-says-enterprise' } });
    expect(await failure.locator('.command.rerun pre').textContent()).toBe(
      `npx edgeproof conformance --target embedded --runs 5 --grep '^report-demo/licence-says-enterprise$' --seed ${SEED}`,
    );
    expect(await failure.locator('ol.steps li.failed').textContent()).toMatch(/^compare its type \(failed, \d+ ms\)$/);
    expect(await failure.locator('pre.diff').textContent()).toContain('-   "type": "Enterprise"\n+   "type": "Edge"');
  });

  it('filters the matrix by verdict', async () => {
    await page().selectOption('#filter-verdict', 'failed');
    expect(
      await page()
        .locator('#matrix tbody tr:visible')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-requirement'))),
    ).toEqual(['EDGE-RO-4', 'EDGE-SYS-2']);
    expect(await page().locator('#filter-count').textContent()).toBe('2 of 3 requirements');
    await page().selectOption('#filter-verdict', '');
  });

  it("shows the Edge's answer with a script in it as text, and runs none of it", async () => {
    const failure = page().locator('article[data-scenario="report-demo/hostile-body"]');
    const read = failure.locator('details.exchange', { hasText: 'GET /artifactory/artifactory-edge-uploads/' });
    expect(await read.locator('pre.body').textContent()).toBe(HOSTILE_PAGE);
    expect(await page().evaluate('typeof window.__pwned')).toBe('undefined');
  });

  it('made no request but for the page itself', () => {
    page();
    expect(requests).toEqual([pathToFileURL(join(outDir, 'report.html')).href]);
  });
});
