import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, filestoreFiles, startEdge, type RunningEdge } from './edge-harness.ts';
import { bytesOf, createRemote, startUpstream, transfer, UPSTREAM_REPO, type Upstream } from './smart-remote-kit.ts';

/** EDGE-SR: smart remote repositories, over real HTTP against the upstream simulator on loopback. */

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function setUp(
  rules: Parameters<typeof startUpstream>[0] = [],
  remote: Record<string, unknown> = {},
  edgeOptions: { now?: () => number; maxUploadBytes?: number } = {},
): Promise<{ edge: RunningEdge; upstream: Upstream }> {
  const upstream = await startUpstream(rules);
  opened.push(upstream);
  const { now, maxUploadBytes } = edgeOptions;
  const edge = await startEdge(maxUploadBytes ? { maxUploadBytes } : {}, now ? { now } : {});
  opened.push(edge);
  const created = await createRemote(edge, 'remote', upstream.repoUrl, remote);
  expect(created.status, created.body).toBe(200);
  return { edge, upstream };
}

async function api(edge: RunningEdge, method: string, path: string, auth = edge.admin): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(`${edge.art}${path}`, { method, headers: { authorization: auth } });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text };
}

/** What the Edge holds of a path, read from its metadata: the cache, not what the upstream says. */
async function cached(edge: RunningEdge, path: string) {
  return edge.edge.context.metadata.items.get('remote', path);
}

/** Blobs in the filestore (the temp area included): nothing half-cached may stay there. */
async function blobs(edge: RunningEdge): Promise<string[]> {
  return filestoreFiles(edge.dataDir);
}

describe('EDGE-SR-1, EDGE-SR-2: creating a smart remote', () => {
  it('EDGE-SR-1: a URL that is missing, malformed, unreachable or not an Artifactory is 400 REMOTE_NOT_SMART naming url, and nothing is created', async () => {
    const upstream = await startUpstream();
    opened.push(upstream);
    const edge = await startEdge();
    opened.push(edge);
    const cases: [unknown, RegExp][] = [
      [undefined, /'url' is missing/],
      ['not a url', /'url' not a url is not a URL/],
      ['ftp://x/artifactory/r', /not an http\(s\) URL/],
      [`${upstream.url}/nothing`, /does not name a repository/],
      ['http://127.0.0.1:9/artifactory/x', /'url' http:\/\/127\.0\.0\.1:9\/artifactory\/x is unreachable \(ECONNREFUSED\)/],
      [`${edge.url}/nope/artifactory/x`, /does not answer as an Artifactory/],
      [`${upstream.url}/artifactory/missing-repo`, /no readable repository 'missing-repo'/],
    ];
    for (const [url, message] of cases) {
      const res = await createRemote(edge, 'r1', url as string);
      expect(res.status, String(url)).toBe(400);
      const error = JSON.parse(res.body).errors[0];
      expect(error.code).toBe('REMOTE_NOT_SMART');
      expect(error.message).toMatch(/^Only smart remote repositories are supported with Artifactory Edge license: /);
      expect(error.message).toMatch(message);
      expect((await api(edge, 'GET', '/api/repositories/r1')).status).toBe(404);
    }
  });

  it("EDGE-SR-2: JFrog's defaults are stored and returned, a wrong type is INVALID_BODY naming it, the password never comes back", async () => {
    const { edge, upstream } = await setUp([], { username: 'admin', password: 'edgeproof-sim-password', hardFail: true });
    const config = (await api(edge, 'GET', '/api/repositories/remote')).json;
    expect(config).toMatchObject({
      key: 'remote',
      rclass: 'remote',
      url: upstream.repoUrl,
      username: 'admin',
      password: '*****',
      hardFail: true,
      retrievalCachePeriodSecs: 7200,
      missedRetrievalCachePeriodSecs: 1800,
      assumedOfflinePeriodSecs: 300,
      socketTimeoutMillis: 15000,
      metadataRetrievalTimeoutSecs: 60,
      listRemoteFolderItems: true,
      offline: false,
      bypassHeadRequests: false,
      storeArtifactsLocally: true,
      synchronizeProperties: false,
      contentSynchronisation: { enabled: true, statistics: { enabled: false }, properties: { enabled: false }, source: { originAbsenceDetection: false } },
    });
    expect(JSON.stringify(config)).not.toContain('edgeproof-sim-password');
    const wrong = await createRemote(edge, 'r2', upstream.repoUrl, { socketTimeoutMillis: 'soon' });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body).errors[0]).toMatchObject({ code: 'INVALID_BODY', message: expect.stringContaining("'socketTimeoutMillis'") });
    // An update keeps the creation's rules, and the masked password keeps the stored one.
    const update = (body: unknown) =>
      fetch(`${edge.art}/api/repositories/remote`, { method: 'POST', headers: { authorization: edge.admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await update({ offline: 'yes' })).status).toBe(400);
    expect((await update({ url: 'http://127.0.0.1:9/artifactory/x' })).status).toBe(400);
    expect((await update({ ...config, offline: true })).status).toBe(200);
    const after = (await edge.edge.context.metadata.repos.get('remote'))?.config;
    expect(after).toMatchObject({ password: 'edgeproof-sim-password', offline: true, url: upstream.repoUrl });
  });
});

describe('EDGE-SR-3..7: pull-through', () => {
  it('EDGE-SR-3, EDGE-SR-4, EDGE-SR-12: a miss is HEAD then GET, streamed and cached with the checksums; then served from the cache alone', async () => {
    const { edge, upstream } = await setUp();
    const bytes = bytesOf(300_000);
    await upstream.put('a/b/file.bin', bytes);
    const first = await transfer(edge, 'remote/a/b/file.bin');
    expect(first).toMatchObject({ status: 200, complete: true });
    expect(sha256(first.body)).toBe(sha256(bytes));
    expect(first.headers['x-checksum-sha256']).toBe(sha256(bytes));
    expect(first.headers['x-artifactory-origin-remote-path']).toBe('a/b/file.bin');
    expect([await upstream.count('HEAD', 'a/b/file.bin'), await upstream.count('GET', 'a/b/file.bin')]).toEqual([1, 1]);
    expect((await cached(edge, 'a/b/file.bin'))?.checksums?.sha256).toBe(sha256(bytes));
    const second = await transfer(edge, 'remote/a/b/file.bin');
    expect(sha256(second.body)).toBe(sha256(bytes));
    expect(second.headers['x-artifactory-origin-remote-path']).toBe('a/b/file.bin');
    const info = await api(edge, 'GET', '/api/storage/remote/a/b/file.bin');
    expect(info.json).toMatchObject({ remoteUrl: `${upstream.repoUrl}/a/b/file.bin`, checksums: { sha256: sha256(bytes) } });
    expect([await upstream.count('HEAD', 'a/b/file.bin'), await upstream.count('GET', 'a/b/file.bin')]).toEqual([1, 1]);
  });

  it.each([
    ['corrupt', { kind: 'corrupt', offset: 70_000 }],
    ['checksum-header wrong', { kind: 'checksum-header', mode: 'wrong' }],
    ['truncate', { kind: 'truncate', afterBytes: 100_000 }],
    ['reset', { kind: 'reset', afterBytes: 100_000 }],
  ] as const)('EDGE-SR-5, EDGE-SR-6: %s: the client never completes a 200, nothing is cached, the next request fetches again', async (_name, fault) => {
    const { edge, upstream } = await setUp([{ route: `/artifactory/${UPSTREAM_REPO}/f.bin`, method: 'GET', nth: 1, fault } as never]);
    const bytes = bytesOf(200_000, 7);
    await upstream.put('f.bin', bytes);
    const broken = await transfer(edge, 'remote/f.bin');
    expect(broken.status === 200 && broken.complete, 'a complete 200').toBe(false);
    expect(await cached(edge, 'f.bin')).toBeUndefined();
    expect(await blobs(edge)).toEqual([]);
    const again = await transfer(edge, 'remote/f.bin');
    expect(again).toMatchObject({ status: 200, complete: true });
    expect(sha256(again.body)).toBe(sha256(bytes));
    expect(await upstream.count('GET', 'f.bin')).toBe(2);
    expect((await cached(edge, 'f.bin'))?.checksums?.sha256).toBe(sha256(bytes));
  });

  it('EDGE-SR-6: an upstream silent longer than socketTimeoutMillis mid-body leaves nothing cached', async () => {
    const { edge, upstream } = await setUp([{ route: `/artifactory/${UPSTREAM_REPO}/slow.bin`, method: 'GET', nth: 1, fault: { kind: 'slow-close', ms: 3000 } }], {
      socketTimeoutMillis: 300,
    });
    await upstream.put('slow.bin', bytesOf(50_000));
    const broken = await transfer(edge, 'remote/slow.bin');
    expect(broken.status === 200 && broken.complete).toBe(false);
    expect(await cached(edge, 'slow.bin')).toBeUndefined();
    expect(await blobs(edge)).toEqual([]);
    expect((await transfer(edge, 'remote/slow.bin')).complete).toBe(true);
  });

  it('EDGE-SR-5: an answer without a SHA-256 or SHA-1 is served whole but not cached (decision 0017)', async () => {
    const missing = (header: string) => ({ route: `/artifactory/${UPSTREAM_REPO}/weak.bin`, fault: { kind: 'checksum-header', mode: 'missing', header } });
    // One rule per header: the first that fires wins, so the second header goes through a second exchange kind.
    const { edge, upstream } = await setUp([missing('x-checksum-sha256'), missing('x-checksum-sha1')] as never, { bypassHeadRequests: true });
    await upstream.put('weak.bin', bytesOf(10_000, 3));
    const got = await transfer(edge, 'remote/weak.bin');
    expect(got.status).toBe(200);
    expect(sha256(got.body)).toBe(sha256(bytesOf(10_000, 3)));
  });

  it('EDGE-SR-7: concurrent requests for one uncached file make one upstream GET; late joiners stream the same bytes', async () => {
    const size = 2 * 1024 * 1024;
    const { edge, upstream } = await setUp([
      { route: `/artifactory/${UPSTREAM_REPO}/big.bin`, method: 'GET', fault: { kind: 'bandwidth', bytesPerSecond: 4 * 1024 * 1024 } },
    ]);
    const bytes = bytesOf(size, 11);
    await upstream.put('big.bin', bytes);
    let late: Promise<Awaited<ReturnType<typeof transfer>>> | undefined;
    const first = transfer(edge, 'remote/big.bin', {}, () => {
      late = transfer(edge, 'remote/big.bin');
    });
    const crowd = Array.from({ length: 20 }, () => transfer(edge, 'remote/big.bin'));
    const results = await Promise.all([first, ...crowd]);
    results.push(await (late as Promise<Awaited<ReturnType<typeof transfer>>>));
    for (const r of results) {
      expect(r.complete).toBe(true);
      expect(sha256(r.body)).toBe(sha256(bytes));
    }
    expect(await upstream.count('GET', 'big.bin')).toBe(1);
  });
});
