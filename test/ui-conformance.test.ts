import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RESULT_FILE } from '../reports/index.ts';
import { htmlReport } from '../reports/html.ts';
import { type RunningEdge, startEdge } from './edge-harness.ts';
import { HOSTILE_PAGE, runDemoReport, SEED } from './report-demo.ts';
import { BROWSER_TEST_CONFIG, chromiumMissing, freshPage, launchChromium, screenshot } from './ui-kit.ts';

vi.setConfig(BROWSER_TEST_CONFIG);

/**
 * EDGE-UI-6: the UI's conformance view opens a report folder from the user's disk and draws it
 * with reports/html.ts, the renderer of report.html: the frame holds exactly the page that
 * renderer makes from the folder's result.json, its filter script runs, and the run's hostile
 * text stays text. Nothing of the report is sent anywhere.
 */

describe("the web UI's conformance view in headless Chromium", () => {
  let edge: RunningEdge;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let outDir: string;
  let missing: string | undefined;
  const requests: string[] = [];

  const frame = (): Frame => {
    if (missing) throw new Error(missing);
    const found = page!.frames().find((f) => f !== page!.mainFrame());
    if (!found) throw new Error('no report frame');
    return found;
  };

  beforeAll(async () => {
    missing = await chromiumMissing();
    if (missing) return;
    outDir = await mkdtemp(join(tmpdir(), 'edgeproof-ui-report-'));
    await runDemoReport(outDir, ['json', 'html']);
    edge = await startEdge();
    browser = await launchChromium();
    page = (await freshPage(browser)).page;
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${edge.url}/ui/#/conformance`);
    await page.locator('#report-folder').setInputFiles(outDir);
    await page.locator('#report-frame').waitFor();
    await frame().locator('#run-verdict').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await edge?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it("EDGE-UI-6: the frame holds exactly the page reports/html.ts makes from the folder's result.json", async () => {
    const result = JSON.parse(await readFile(join(outDir, RESULT_FILE), 'utf8'));
    const srcdoc = await page!.locator('#report-frame').getAttribute('srcdoc');
    expect(srcdoc).toBe(htmlReport(result, { outDir: basename(outDir) }));
    // And it is report.html's page but for the folder's name, which the browser does not disclose in full.
    expect(srcdoc).toBe((await readFile(join(outDir, 'report.html'), 'utf8')).replaceAll(outDir, basename(outDir)));
    await screenshot(page!, 'conformance');
  });

  it('EDGE-UI-6: shows the verdict, the requirement matrix and the failure with its steps and replay command', async () => {
    expect(await frame().locator('#run-verdict').textContent()).toBe('FAILED');
    const shown = await frame()
      .locator('#matrix tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-requirement'), tr.querySelector('.verdict')?.textContent]));
    expect(shown).toEqual([
      ['EDGE-RO-4', 'failed'],
      ['EDGE-SYS-1', 'passed'],
      ['EDGE-SYS-2', 'failed'],
    ]);
    const failure = frame().locator('article[data-scenario="report-demo/licence-says-enterprise"]');
    expect(await failure.locator('.command.replay pre').textContent()).toBe(
      `npx edgeproof replay ${basename(outDir)}/replays/report-demo__licence-says-enterprise.json`,
    );
    expect(await failure.locator('.command.rerun pre').textContent()).toContain(`--seed ${SEED}`);
    expect(await failure.locator('ol.steps li.failed').textContent()).toMatch(/^compare its type \(failed, \d+ ms\)$/);
  });

  it("EDGE-UI-3: the report's own filter script runs in the frame (allowed by hash), and the run's hostile text does not", async () => {
    await frame().selectOption('#filter-verdict', 'failed');
    expect(await frame().locator('#filter-count').textContent()).toBe('2 of 3 requirements');
    const read = frame().locator('article[data-scenario="report-demo/hostile-body"] details.exchange', {
      hasText: 'GET /artifactory/artifactory-edge-uploads/',
    });
    expect(await read.locator('pre.body').textContent()).toBe(HOSTILE_PAGE);
    expect(await frame().evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page!.evaluate('typeof window.__pwned')).toBe('undefined');
  });

  it('EDGE-UI-6: reading the report sent nothing: every request went to the UI on the Edge', () => {
    if (missing) throw new Error(missing);
    expect(requests.filter((url) => !url.startsWith(`${edge.url}/ui/`))).toEqual([]);
  });
});
