import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { buildUi } from '../ui/build.ts';
import { serveEdge } from './serve.ts';

/**
 * The web UI's weight and speed (issue 15): the gzip size of what the browser loads, and the
 * time to first render of a repository page whose folder holds ITEMS files, on a served Edge
 * in Debian's headless Chromium: from navigation to the listing drawn, cold (nothing cached)
 * and warm (assets cached, as the long cache headers allow). Prints figures; asserts nothing.
 *
 *   npm run bench:ui [-- --items 10000 --runs 5]
 */

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const ITEMS = arg('items', 10_000);
const RUNS = arg('runs', 5);
const CONCURRENCY = 16;
const PASSWORD = 'bench-admin-password';
const REPO = 'artifactory-edge-uploads';
const CHROMIUM = process.env.EDGEPROOF_CHROMIUM ?? '/usr/bin/chromium';

const authorization = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

await buildUi();
const dist = join(import.meta.dirname, '..', 'ui', 'dist');
const index = await readFile(join(dist, 'index.html'), 'utf8');
const initial = [...index.matchAll(/\/ui\/assets\/([^"]+)/g)].map((m) => m[1] as string);
let initialGz = gz(Buffer.from(index));
let lazyGz = 0;
for (const name of await readdir(join(dist, 'assets'))) {
  const size = gz(await readFile(join(dist, 'assets', name)));
  if (initial.includes(name)) initialGz += size;
  else lazyGz += size;
  console.log(`  ${name.padEnd(28)} ${kib(size)} gzip${initial.includes(name) ? '' : ' (loaded by the conformance page only)'}`);
}
console.log(`bundle: ${kib(initialGz)} gzip loaded by every page (index.html included); ${kib(lazyGz)} more for the conformance view`);

const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-bench-ui-'));
const edge = await serveEdge(['--data-dir', dataDir, '--admin-password', PASSWORD]);
try {
  const client = new ArtifactoryClient({ url: edge.url, credentials: { user: 'admin', password: PASSWORD } });
  const fillStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < ITEMS; i = next++) await client.deploy(`${REPO}/many/item-${String(i).padStart(5, '0')}.txt`, `item ${i}\n`);
    }),
  );
  console.log(`filled ${ITEMS} items in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);

  // The part of it that is the Edge's: the one storage API call the page makes.
  const api: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const res = await fetch(`${edge.url}/artifactory/api/storage/${REPO}/many`, { headers: { authorization } });
    await res.arrayBuffer();
    api.push(performance.now() - started);
  }
  console.log(`the folder's storage API call alone: median ${median(api).toFixed(0)} ms of ${RUNS}`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  try {
    const context = await browser.newContext();
    // Signed in as the sign-in page leaves it: the measure is the repository page, not the form.
    await context.addInitScript(`sessionStorage.setItem('edgeproof.session', ${JSON.stringify(JSON.stringify({ authorization, label: 'admin' }))})`);
    const timings: { cold: number[]; warm: number[] } = { cold: [], warm: [] };
    const apiDone: { cold: number[]; warm: number[] } = { cold: [], warm: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const kind of ['cold', 'warm'] as const) {
        const page = await context.newPage();
        if (kind === 'cold') await (await context.newCDPSession(page)).send('Network.clearBrowserCache');
        await page.goto(`${edge.url}/ui/#/repos/${REPO}/many`);
        await page.locator('#listing-count').waitFor();
        // From the start of navigation to the listing on screen, by the page's own clock.
        timings[kind].push(await page.evaluate('performance.now()'));
        // When the folder's listing had arrived, on the same clock.
        apiDone[kind].push(await page.evaluate(`performance.getEntriesByType('resource').find((e) => e.name.includes('/api/storage/')).responseEnd`));
        const shown = await page.locator('#listing-count').textContent();
        if (!shown?.startsWith(`${ITEMS} items`)) throw new Error(`the page shows '${shown}', not ${ITEMS} items`);
        await page.close();
      }
    }
    for (const kind of ['cold', 'warm'] as const) {
      console.log(
        `first render of the repository page (${ITEMS} items), ${kind}: median ${median(timings[kind]).toFixed(0)} ms of ${RUNS} (${timings[kind].map((t) => t.toFixed(0)).join(', ')}); the listing had arrived at ${median(apiDone[kind]).toFixed(0)} ms`,
      );
    }
  } finally {
    await browser.close();
  }
} finally {
  await edge.stop();
  await rm(dataDir, { recursive: true, force: true });
}
