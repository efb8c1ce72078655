import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../scenarios/index.ts';
import { HOSTILE_PAGE, runDemoReport, SEED } from './report-demo.ts';

/**
 * The HTML report as a person sees it: a real run against the embedded Edge with two
 * deliberately failing scenarios, its report.html opened from disk in Debian's Chromium
 * (headless, driven by playwright-core). The page must show the requirement matrix and the
 * failure's commands, run no script it did not bring, and fetch nothing.
 */

const CHROMIUM = process.env.EDGEPROOF_CHROMIUM ?? '/usr/bin/chromium';
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
    outDir = await mkdtemp(join(tmpdir(), 'edgeproof-report-'));
    result = await runDemoReport(outDir, ['html']);

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
