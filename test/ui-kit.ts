import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Test support for the web UI in Debian's headless Chromium (as test/report-html-chromium.test.ts drives it). */

export const CHROMIUM = process.env.EDGEPROOF_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots of each page, for review; ignored by git. */
export const SCREENSHOTS = fileURLToPath(new URL('../ui/screenshots/', import.meta.url));

/** Phone width (an iPhone 14's CSS pixels). */
export const PHONE = { width: 390, height: 844 };

/** The one line that says Chromium is missing, or undefined when it is there. */
export async function chromiumMissing(): Promise<string | undefined> {
  try {
    await access(CHROMIUM);
    return undefined;
  } catch {
    return `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does) or set EDGEPROOF_CHROMIUM`;
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}

/** A fresh browser context (its own sessionStorage, so its own sign-in) and a page in it. */
export async function freshPage(browser: Browser, viewport = { width: 1100, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  return { context, page: await context.newPage() };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the form, by keyboard only: the fields in tab order, Enter to submit. */
export async function signIn(page: Page, edgeUrl: string, user: string, password: string): Promise<void> {
  await page.goto(`${edgeUrl}/ui/`);
  await page.getByLabel('User').focus();
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.locator('#signed-in-as').waitFor();
}

/**
 * A browser test waits on a real page over real HTTP on a machine shared with other jobs: polls
 * get 15 s (vitest's default is 1 s) and each test a minute. For `vi.setConfig` at a file's top.
 */
export const BROWSER_TEST_CONFIG = { testTimeout: 60_000, expect: { poll: { timeout: 15_000, interval: 50 } } };
