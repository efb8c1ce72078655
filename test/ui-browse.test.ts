import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UPLOADS_REPO } from '../edge/index.ts';
import { createRepo, distribute, errorCode, fixtureSigningKey, makeBundle, start, trustFixtureKey } from './bundle-kit.ts';
import { clientsOf, raw, type RunningEdge, startEdge } from './edge-harness.ts';
import { createRemote, startUpstream } from './smart-remote-kit.ts';
import { issueToken, putPermission, putUser } from './trust-fixtures.ts';
import { BROWSER_TEST_CONFIG, chromiumMissing, freshPage, launchChromium, PHONE, screenshot, signIn } from './ui-kit.ts';

vi.setConfig(BROWSER_TEST_CONFIG);

/**
 * The web UI (EDGE-UI) as a person uses it: a real Edge over HTTP, its /ui/ opened in Debian's
 * headless Chromium. Each page is reached by the links a person follows, and what it shows is
 * compared with what the REST API answers the same user.
 */

const BUNDLES = 'bundles-local';
const BUNDLE_FILE = 'app/ui-app.bin';
const BUNDLE_BYTES = Buffer.from('the bundled application, byte for byte\n');
const READER = 'ui-reader';
const READER_PASSWORD = `${READER}-password-1`;
const ADMIN_PASSWORD = 'admin-password-for-tests';
const REFUSALS = '/artifactory/api/edgeproof/distribution/refusals';

const digest = (algorithm: string, bytes: Uint8Array) => createHash(algorithm).update(bytes).digest('hex');

describe('the web UI in headless Chromium', () => {
  let edge: RunningEdge;
  let browser: Browser | undefined;
  let missing: string | undefined;

  /** A page signed in as `user` (a fresh context each, so sessions never mix). */
  const pageAs = async (user: string, password: string, viewport?: { width: number; height: number }): Promise<Page> => {
    if (missing) throw new Error(missing);
    const { page } = await freshPage(browser!, viewport);
    await signIn(page, edge.url, user, password);
    return page;
  };

  beforeAll(async () => {
    edge = await startEdge();
    await createRepo(edge, BUNDLES);
    await trustFixtureKey(edge);
    await distribute(edge, await makeBundle('ui-app', '1.0', [{ repoPath: `${BUNDLES}/${BUNDLE_FILE}`, bytes: BUNDLE_BYTES }]));
    // A delivery the Edge refuses: signed by a key it does not trust (EDP_UNTRUSTED_KEY).
    const untrusted = await makeBundle(
      'ui-rogue',
      '6.6.6',
      [{ repoPath: `${BUNDLES}/rogue.bin`, bytes: Buffer.from('x') }],
      await fixtureSigningKey('untrusted-signing'),
    );
    expect(errorCode(await start(edge, untrusted.jws))).toBe('EDP_UNTRUSTED_KEY');

    const { artifactory } = clientsOf(edge);
    await artifactory.deploy(`${UPLOADS_REPO}/pub/readme.txt`, 'readable\n', { properties: { kind: ['public'], audience: ['all', 'readers'] } });
    await artifactory.deploy(`${UPLOADS_REPO}/secret/hidden.txt`, 'not for readers\n');
    await putUser(edge.url, edge.admin, READER, { email: `${READER}@ui.example` });
    await putPermission(edge.url, edge.admin, READER, {
      repositories: [UPLOADS_REPO, BUNDLES],
      'exclude-patterns': ['secret/**'],
      actions: { users: { [READER]: ['read'] } },
    });

    missing = await chromiumMissing();
    if (!missing) browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await edge?.close();
  });

  it('EDGE-UI-1: /ui/ is index.html, never cached; its hashed assets are cached for a year; both under the UI policy', async () => {
    const index = await raw(edge.url, 'GET', '/ui/');
    expect(index.status).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    const policy = String(index.headers['content-security-policy']);
    expect(policy).toMatch(/^default-src 'none'; script-src 'self' 'sha256-[^']+'; style-src 'self' 'sha256-[^']+';/);
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toMatch(/unsafe|\*|https?:/);
    const assets = [...index.text.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const res = await raw(edge.url, 'GET', asset);
      expect(res.status, asset).toBe(200);
      expect(asset).toMatch(/-[A-Za-z0-9_-]{8}\.(js|css)$/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-security-policy']).toBe(policy);
    }
    expect((await raw(edge.url, 'GET', '/ui')).headers.location).toBe('/ui/');
  });

  it("EDGE-UI-1: an asset the build did not make answers 404 in Artifactory's error body, and nothing reaches the file system", async () => {
    for (const path of ['/ui/assets/nothing-here.js', '/ui/assets/..%2F..%2Fpackage.json', '/ui/assets/%2e%2e%2findex.html']) {
      const res = await raw(edge.url, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(errorCode(res), path).toBe('NOT_FOUND');
    }
  });

  it("EDGE-UI-2, EDGE-UI-7: a wrong password is refused with the Edge's own message; the right one, typed by keyboard alone, signs in", async () => {
    if (missing) throw new Error(missing);
    const { page } = await freshPage(browser!);
    await page.goto(`${edge.url}/ui/`);
    await page.getByLabel('User').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.refusal').textContent()).toContain('Bad credentials');
    await screenshot(page, 'sign-in-refused');
    await page.getByRole('button', { name: 'Browse anonymously' }).click();
    // Anonymous access is off on this Edge: the Edge says so, the UI only repeats it.
    await expect.poll(() => page.locator('.refusal code').textContent()).toBe(' UNAUTHENTICATED');
    await signIn(page, edge.url, 'admin', ADMIN_PASSWORD);
    expect(await page.locator('#signed-in-as').textContent()).toBe('admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User').waitFor();
  });

  it('EDGE-UI-2: where the Edge allows anonymous access, browsing anonymously shows what an anonymous GET gets', async () => {
    if (missing) throw new Error(missing);
    const open = await startEdge({ anonymousAccess: true });
    try {
      const { page } = await freshPage(browser!);
      await page.goto(`${open.url}/ui/`);
      await page.getByRole('button', { name: 'Browse anonymously' }).click();
      await page.locator('#repositories').waitFor();
      expect(await page.locator('#signed-in-as').textContent()).toBe('anonymous');
      const anonymous = await (await fetch(`${open.url}/artifactory/api/repositories`)).json();
      expect(await page.locator('#repositories tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-repo')))).toEqual(
        (anonymous as { key: string }[]).map((r) => r.key),
      );
    } finally {
      await open.close();
    }
  });

  it('EDGE-UI-2: an access token signs in, and the repositories are those the REST API lists, with kind and package type', async () => {
    if (missing) throw new Error(missing);
    const token = await issueToken(edge.url, edge.admin, { scope: 'applied-permissions/user', expires_in: 600 });
    const { page } = await freshPage(browser!);
    await page.goto(`${edge.url}/ui/`);
    await page.getByRole('tab', { name: 'Access token' }).click();
    await page.getByLabel('Token').fill(token.access_token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#repositories').waitFor();
    const rows = await page.locator('#repositories tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const listed = await clientsOf(edge).artifactory.repositories();
    expect(rows).toEqual(listed.map((r) => [r.key, r.type.toLowerCase(), r.packageType, r.key === UPLOADS_REPO ? 'uploads' : 'read-only']));
    await page.locator('#repo-filter').fill('bundles');
    expect(await page.locator('#repositories tbody tr').count()).toBe(1);
    await screenshot(page, 'repositories');
  });

  it("EDGE-UI-2: browses from a release bundle to its file, shows the file's checksums and downloads exactly its bytes", async () => {
    const page = await pageAs('admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Release bundles' }).click();
    await page.locator('#bundles tr[data-bundle="ui-app/1.0"] a').click();
    const kid = (await clientsOf(edge).edp.trustedKeys())[0]!.kid;
    await expect.poll(() => page.locator('#bundle-kid').textContent()).toBe(kid);
    // Arrival: the API states only the signed `created`; the UI shows when this Edge stored the files.
    const stored = await clientsOf(edge).artifactory.fileInfo(`${BUNDLES}/${BUNDLE_FILE}`);
    expect(await page.locator('#bundle-arrived').textContent()).toBe(
      new Date(stored.created)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC'),
    );
    await screenshot(page, 'bundle');
    await page.getByRole('link', { name: `${BUNDLES}/${BUNDLE_FILE}` }).click();
    await expect.poll(() => page.locator('code[data-checksum="sha256"]').textContent()).toBe(digest('sha256', BUNDLE_BYTES));
    expect(await page.locator('code[data-checksum="sha1"]').textContent()).toBe(digest('sha1', BUNDLE_BYTES));
    await screenshot(page, 'file');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
    expect(download.suggestedFilename()).toBe('ui-app.bin');
    expect(await readFile((await download.path())!)).toEqual(BUNDLE_BYTES);
  });

  it("EDGE-UI-2: file info shows where a smart remote's cached file came from, and a file's properties", async () => {
    const upstream = await startUpstream();
    try {
      await upstream.put('lib/cached.txt', 'from upstream\n');
      expect((await createRemote(edge, 'ui-remote', upstream.repoUrl)).status).toBe(200);
      const { artifactory } = clientsOf(edge);
      await (await artifactory.download('ui-remote/lib/cached.txt')).arrayBuffer();
      const info = (await artifactory.fileInfo('ui-remote/lib/cached.txt')) as { remoteUrl?: string };
      expect(info.remoteUrl).toBeTruthy();

      const page = await pageAs('admin', ADMIN_PASSWORD);
      await page.goto(`${edge.url}/ui/#/repos/ui-remote/lib/cached.txt`);
      await expect.poll(() => page.locator('main').textContent()).toContain(`Cached from${info.remoteUrl}`);
      await page.goto(`${edge.url}/ui/#/repos/${UPLOADS_REPO}/pub/readme.txt`);
      await expect.poll(() => page.locator('main').textContent()).toContain('Propertiesaudienceall, readerskindpublic');
      await screenshot(page, 'remote-file');
    } finally {
      await upstream.close();
    }
  });

  it('EDGE-UI-4: uploads with a progress bar, the checksums computed in the browser sent as X-Checksum-*, and lists the file', async () => {
    const page = await pageAs('admin', ADMIN_PASSWORD);
    await page.goto(`${edge.url}/ui/#/repos/${UPLOADS_REPO}/pub`);
    await page.locator('#listing').waitFor();
    const bytes = Buffer.alloc(2 * 1024 * 1024 + 5, 'edgeproof ');
    const sent: Record<string, string>[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT') sent.push(request.headers());
    });
    // Every state the progress bar is drawn in, however briefly: a small upload on loopback is quick.
    await page.evaluate(`window.progressSeen = new Set();
      new MutationObserver(() => {
        const bar = document.getElementById('upload-progress');
        if (bar) window.progressSeen.add(bar.parentElement.textContent.trim() + ' ' + bar.max);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })`);
    await page.locator('#upload-input').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await expect.poll(() => page.locator('#upload-done').textContent()).toBe('Uploaded big.bin.');
    await expect.poll(() => page.locator('#listing li[data-name="big.bin"]').count()).toBe(1);
    expect(await page.evaluate('[...window.progressSeen]')).toEqual(
      expect.arrayContaining([`Computing checksums ${bytes.length}`, `Uploading ${bytes.length}`]),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      'x-checksum-sha256': digest('sha256', bytes),
      'x-checksum-sha1': digest('sha1', bytes),
      'x-checksum-md5': digest('md5', bytes),
    });
    const stored = await clientsOf(edge).artifactory.fileInfo(`${UPLOADS_REPO}/pub/big.bin`);
    expect(stored.checksums.sha256).toBe(digest('sha256', bytes));
    await screenshot(page, 'upload');
  });

  it("EDGE-UI-4: a read-only repository says why, and an upload to it shows the Edge's refusal as Artifactory words it", async () => {
    const page = await pageAs('admin', ADMIN_PASSWORD);
    await page.goto(`${edge.url}/ui/#/repos/${BUNDLES}`);
    await expect.poll(() => page.locator('#read-only-notice').textContent()).toContain('Read-only');
    await page.locator('#upload-input').setInputFiles({ name: 'nope.txt', mimeType: 'text/plain', buffer: Buffer.from('nope') });
    const refusal = page.locator('.upload .refusal');
    await expect.poll(() => refusal.locator('strong').textContent()).toBe('Deployment to an Edge Artifactory node is not supported.');
    expect(await refusal.locator('code').textContent()).toBe(' EDGE_READ_ONLY');
    await screenshot(page, 'read-only-refusal');
  });

  it('EDGE-UI-2: a user whose permission excludes a path does not see it, and reaching it by address shows the refusal', async () => {
    const page = await pageAs(READER, READER_PASSWORD);
    await page.goto(`${edge.url}/ui/#/repos/${UPLOADS_REPO}`);
    await page.locator('#listing').waitFor();
    expect(await page.locator('#listing li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-name')))).toEqual(['pub']);
    await screenshot(page, 'limited-user');
    await page.goto(`${edge.url}/ui/#/repos/${UPLOADS_REPO}/secret/hidden.txt`);
    await expect.poll(() => page.locator('.refusal').count()).toBe(1);
    expect(await page.locator('#file-info').count()).toBe(0);
    // Admin-only pages answer this user with the Edge's refusals, not with their contents.
    await page.getByRole('link', { name: 'Trust' }).click();
    await expect.poll(() => page.locator('.refusal').count()).toBe(3);
    expect(await page.locator('#trusted-keys, #trusted-certificates, #own-certificate').count()).toBe(0);
    await page.getByRole('link', { name: 'Release bundles' }).click();
    await page.locator('#bundles').waitFor();
    expect(await page.locator('#refusals').count()).toBe(0);
    expect(await page.locator('.refusal').textContent()).toContain('HTTP 403');
  });

  it('EDGE-UI-5: the refusals feed is for admins: a reader is refused, the admin sees the refused delivery with its EDP code', async () => {
    const reader = await raw(edge.url, 'GET', REFUSALS, {
      headers: { authorization: `Basic ${Buffer.from(`${READER}:${READER_PASSWORD}`).toString('base64')}` },
    });
    expect(reader.status).toBe(403);
    expect((await raw(edge.url, 'GET', REFUSALS)).status).toBe(401);
    const admin = await raw(edge.url, 'GET', REFUSALS, { headers: { authorization: edge.admin } });
    expect(admin.json()).toMatchObject({ events: [{ step: 'start', code: 'EDP_UNTRUSTED_KEY' }] });

    const page = await pageAs('admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Release bundles' }).click();
    await expect.poll(() => page.locator('#refusals tr[data-code="EDP_UNTRUSTED_KEY"]').count()).toBe(1);
    await screenshot(page, 'bundles');
  });

  it("EDGE-UI-2: shows the trusted signing key and the Edge's own certificate to copy", async () => {
    const page = await pageAs('admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Trust' }).click();
    await expect.poll(() => page.locator('#trusted-keys tbody tr').count()).toBe(1);
    expect(await page.locator('#own-certificate').textContent()).toBe(
      await (await fetch(`${edge.url}/access/api/v1/cert/root`, { headers: { authorization: edge.admin } })).text(),
    );
    await screenshot(page, 'trust');
  });

  it('EDGE-UI-7: fits a phone: no page scrolls sideways at 390 px', async () => {
    const page = await pageAs('admin', ADMIN_PASSWORD, PHONE);
    for (const [name, fragment, ready] of [
      ['repositories', '#/repos', '#repositories'],
      ['folder', `#/repos/${UPLOADS_REPO}/pub`, '#listing'],
      ['file', `#/repos/${BUNDLES}/${BUNDLE_FILE}`, '#file-info'],
      ['bundles', '#/bundles', '#refusals'],
      ['trust', '#/trust', '#own-certificate'],
      ['conformance', '#/conformance', '#report-folder'],
    ] as const) {
      await page.goto(`${edge.url}/ui/${fragment}`);
      await page.locator(ready).waitFor();
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement.scrollWidth -
            (globalThis as unknown as { document: { documentElement: { clientWidth: number } } }).document.documentElement.clientWidth,
        ),
        name,
      ).toBeLessThanOrEqual(0);
      await screenshot(page, `phone-${name}`);
    }
  });
});
