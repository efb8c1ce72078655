import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

// biome-ignore lint/suspicious/noExplicitAny: the answers are read as JFrog sends them, member by member.
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

  it("EDGE-SR-1: an upstream that refuses the configured credentials is 400 REMOTE_NOT_SMART naming 'username' and 'password', and nothing is created", async () => {
    const edge = await startEdge();
    opened.push(edge);
    // The Edge itself is the upstream: an Artifactory answers even its ping 401 to wrong credentials.
    const res = await createRemote(edge, 'r1', `${edge.url}/artifactory/artifactory-edge-uploads`, { username: 'admin', password: 'not-the-password' });
    expect(res.status).toBe(400);
    const error = JSON.parse(res.body).errors[0];
    expect(error.code).toBe('REMOTE_NOT_SMART');
    expect(error.message).toMatch(/refused the configured credentials \('username', 'password'\) with 401/);
    expect(error.message).not.toContain('not-the-password');
    expect((await api(edge, 'GET', '/api/repositories/r1')).status).toBe(404);
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
      fetch(`${edge.art}/api/repositories/remote`, {
        method: 'POST',
        headers: { authorization: edge.admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
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
    const { edge, upstream } = await setUp(
      [{ route: `/artifactory/${UPSTREAM_REPO}/slow.bin`, method: 'GET', nth: 1, fault: { kind: 'slow-close', ms: 3000 } }],
      {
        socketTimeoutMillis: 300,
      },
    );
    await upstream.put('slow.bin', bytesOf(50_000));
    const broken = await transfer(edge, 'remote/slow.bin');
    expect(broken.status === 200 && broken.complete).toBe(false);
    expect(await cached(edge, 'slow.bin')).toBeUndefined();
    expect(await blobs(edge)).toEqual([]);
    expect((await transfer(edge, 'remote/slow.bin')).complete).toBe(true);
  });

  it('EDGE-SR-5: an answer without a SHA-256 or SHA-1 is served whole but not cached (decision 0017)', async () => {
    // The simulator's fault plans remove one header per exchange; this upstream never sends either.
    const body = bytesOf(10_000, 3);
    let gets = 0;
    const server = createServer((req, res) => {
      if (req.url === '/artifactory/api/system/ping') return res.end('OK');
      if (req.url === '/artifactory/api/storage/weak') return res.end('{}');
      if (req.url !== '/artifactory/weak/w.bin') return res.writeHead(404).end();
      if (req.method === 'GET') gets++;
      res.writeHead(200, { 'content-length': body.length, 'x-checksum-md5': createHash('md5').update(body).digest('hex'), 'x-artifactory-filename': 'w.bin' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve()) && server.closeAllConnections()) });
    const edge = await startEdge();
    opened.push(edge);
    const created = await createRemote(edge, 'remote', `http://127.0.0.1:${(server.address() as AddressInfo).port}/artifactory/weak`);
    expect(created.status, created.body).toBe(200);
    for (const round of [1, 2]) {
      const got = await transfer(edge, 'remote/w.bin');
      expect([got.status, got.complete, sha256(got.body)]).toEqual([200, true, sha256(body)]);
      expect(await cached(edge, 'w.bin')).toBeUndefined();
      expect(gets).toBe(round);
    }
    expect(await blobs(edge)).toEqual([]);
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

describe('EDGE-SR-8..11, EDGE-SR-18: misses, failures and limits', () => {
  it('EDGE-SR-8: an upstream 404 is remembered for missedRetrievalCachePeriodSecs, then asked again', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const { edge, upstream } = await setUp([], { missedRetrievalCachePeriodSecs: 60 }, { now: () => clock });
    expect((await transfer(edge, 'remote/late.txt')).status).toBe(404);
    await upstream.put('late.txt', 'now here');
    expect((await transfer(edge, 'remote/late.txt')).status).toBe(404);
    expect(await upstream.count('HEAD', 'late.txt')).toBe(1);
    clock += 61_000;
    const found = await transfer(edge, 'remote/late.txt');
    expect([found.status, found.body.toString()]).toEqual([200, 'now here']);
  });

  it('EDGE-SR-9, EDGE-SR-11: after a failed connection the upstream is assumed offline (cache only), then asked again; hardFail makes failures 502', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const { edge, upstream } = await setUp(
      [{ route: `/artifactory/${UPSTREAM_REPO}/x.txt`, method: 'HEAD', nth: 1, fault: { kind: 'hang', ms: 10 } }],
      { assumedOfflinePeriodSecs: 30, hardFail: true },
      { now: () => clock },
    );
    await upstream.put('kept.txt', 'kept');
    await upstream.put('x.txt', 'x');
    expect((await transfer(edge, 'remote/kept.txt')).status).toBe(200);
    const failed = await api(edge, 'GET', '/remote/x.txt');
    expect(failed.status).toBe(502);
    expect(failed.json.errors[0]).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining(`'remote' (${upstream.repoUrl})`) });
    const exchanges = upstream.recorder.entries().length;
    expect((await api(edge, 'GET', '/remote/x.txt')).status).toBe(502);
    expect((await transfer(edge, 'remote/kept.txt')).body.toString()).toBe('kept');
    await upstream.recorder.settled();
    expect(upstream.recorder.entries().length).toBe(exchanges);
    clock += 31_000;
    expect((await transfer(edge, 'remote/x.txt')).body.toString()).toBe('x');
  });

  it('EDGE-SR-11: without hardFail an upstream 5xx is the absent 404', async () => {
    const { edge, upstream } = await setUp([{ route: `/artifactory/${UPSTREAM_REPO}/**`, fault: { kind: 'status', status: 503 } }]);
    await upstream.put('y.txt', 'y').catch(() => undefined);
    const res = await api(edge, 'GET', '/remote/y.txt');
    expect([res.status, res.json.errors[0].code]).toEqual([404, 'NOT_FOUND']);
  });

  it('EDGE-SR-10: offline never asks the upstream; the cache is served, anything else is 404', async () => {
    const { edge, upstream } = await setUp();
    await upstream.put('c.txt', 'cached');
    await upstream.put('u.txt', 'uncached');
    expect((await transfer(edge, 'remote/c.txt')).status).toBe(200);
    const res = await fetch(`${edge.art}/api/repositories/remote`, {
      method: 'POST',
      headers: { authorization: edge.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ offline: true }),
    });
    expect(res.status).toBe(200);
    await upstream.recorder.settled();
    const before = upstream.recorder.entries().length;
    expect((await transfer(edge, 'remote/c.txt')).body.toString()).toBe('cached');
    expect((await transfer(edge, 'remote/u.txt')).status).toBe(404);
    await upstream.recorder.settled();
    expect(upstream.recorder.entries().length).toBe(before);
  });

  it('EDGE-SR-18: a file over maxUploadBytes is not cached and nothing is kept', async () => {
    const { edge, upstream } = await setUp([], {}, { maxUploadBytes: 1000 });
    await upstream.put('huge.bin', bytesOf(5000));
    expect((await transfer(edge, 'remote/huge.bin')).status).toBe(404);
    expect(await upstream.count('GET', 'huge.bin')).toBe(0);
    expect(await blobs(edge)).toEqual([]);
  });
});

describe('EDGE-SR-13..17: listings, properties, origin, cache management, access', () => {
  it('EDGE-SR-13: folder listings merge the upstream listing with the cache, each name once', async () => {
    const { edge, upstream } = await setUp();
    await upstream.put('d/one.txt', '1');
    await upstream.put('d/two.txt', '2');
    await upstream.put('d/sub/three.txt', '3');
    expect((await transfer(edge, 'remote/d/one.txt')).status).toBe(200);
    const info = await api(edge, 'GET', '/api/storage/remote/d');
    expect(info.json.children).toEqual([
      { uri: '/sub', folder: true },
      { uri: '/one.txt', folder: false },
      { uri: '/two.txt', folder: false },
    ]);
    const list = await api(edge, 'GET', '/api/storage/remote/d?list&deep=1&listFolders=1');
    expect(list.json.files.map((f: { uri: string }) => f.uri)).toEqual(['/one.txt', '/sub', '/sub/three.txt', '/two.txt']);
    const html = await api(edge, 'GET', '/remote/d/');
    expect(html.text).toContain('two.txt');
  });

  it('EDGE-SR-14: with properties sync, a download makes the cached properties follow the upstream', async () => {
    const { edge, upstream } = await setUp([], { contentSynchronisation: { enabled: true, properties: { enabled: true } } });
    await upstream.put('p.txt', 'p', 'color=red');
    expect((await transfer(edge, 'remote/p.txt')).status).toBe(200);
    expect((await api(edge, 'GET', '/api/storage/remote/p.txt?properties')).json.properties).toEqual({ color: ['red'] });
    await fetch(`${upstream.url}/artifactory/api/storage/${UPSTREAM_REPO}/p.txt?properties=color=blue;size=big`, {
      method: 'PUT',
      headers: { authorization: basic('admin', 'edgeproof-sim-password') },
    });
    expect((await transfer(edge, 'remote/p.txt')).status).toBe(200);
    expect((await api(edge, 'GET', '/api/storage/remote/p.txt?properties')).json.properties).toEqual({ color: ['blue'], size: ['big'] });
  });

  it('EDGE-SR-15: a cached file the upstream no longer has is marked originAbsent and stays downloadable', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const { edge, upstream } = await setUp(
      [],
      { retrievalCachePeriodSecs: 10, contentSynchronisation: { enabled: true, source: { originAbsenceDetection: true } } },
      { now: () => clock },
    );
    await upstream.put('gone.txt', 'gone');
    expect((await transfer(edge, 'remote/gone.txt')).status).toBe(200);
    await upstream.remove('gone.txt');
    expect((await api(edge, 'GET', '/api/storage/remote/gone.txt')).json.originAbsent).toBeUndefined();
    clock += 11_000;
    expect((await api(edge, 'GET', '/api/storage/remote/gone.txt')).json).toMatchObject({ originAbsent: true, remoteUrl: `${upstream.repoUrl}/gone.txt` });
    expect((await transfer(edge, 'remote/gone.txt')).body.toString()).toBe('gone');
  });

  it('EDGE-SR-16: cached content is read-only; only an admin deletes it, and the next request fetches again', async () => {
    const { edge, upstream } = await setUp();
    await upstream.put('m.txt', 'm');
    expect((await transfer(edge, 'remote/m.txt')).status).toBe(200);
    const deploy = await fetch(`${edge.art}/remote/m.txt`, { method: 'PUT', headers: { authorization: edge.admin }, body: 'other' });
    expect(deploy.status).toBe(403);
    expect(((await deploy.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('EDGE_READ_ONLY');
    const props = await api(edge, 'PUT', '/api/storage/remote/m.txt?properties=a=b');
    expect([props.status, props.json.errors[0].code]).toEqual([403, 'EDGE_READ_ONLY']);
    await userWith(edge, 'reader', ['read', 'write', 'delete']);
    expect((await api(edge, 'DELETE', '/remote/m.txt', basic('reader', 'Reader-password-1'))).status).toBe(403);
    expect((await api(edge, 'DELETE', '/remote/m.txt')).status).toBe(204);
    expect(await cached(edge, 'm.txt')).toBeUndefined();
    expect((await transfer(edge, 'remote/m.txt')).body.toString()).toBe('m');
    expect(await upstream.count('GET', 'm.txt')).toBe(2);
  });

  it('EDGE-SR-17: without read the path is absent; with read alone only the cache (Deploy/Cache); no upstream request for either', async () => {
    const { edge, upstream } = await setUp();
    await upstream.put('cached.txt', 'c');
    await upstream.put('fresh.txt', 'f');
    expect((await transfer(edge, 'remote/cached.txt')).status).toBe(200);
    await userWith(edge, 'reader', ['read']);
    await userWith(edge, 'nobody', []);
    await upstream.recorder.settled();
    const before = upstream.recorder.entries().length;
    const reader = { url: edge.url, admin: basic('reader', 'Reader-password-1') };
    const nobody = { url: edge.url, admin: basic('nobody', 'Reader-password-1') };
    expect((await transfer(reader, 'remote/cached.txt')).status).toBe(200);
    expect((await transfer(reader, 'remote/fresh.txt')).status).toBe(404);
    expect((await transfer(nobody, 'remote/cached.txt')).status).toBe(404);
    await upstream.recorder.settled();
    expect(upstream.recorder.entries().length).toBe(before);
    await userWith(edge, 'cacher', ['read', 'write']);
    expect((await transfer({ url: edge.url, admin: basic('cacher', 'Reader-password-1') }, 'remote/fresh.txt')).body.toString()).toBe('f');
  });
});

describe('EDGE-SR-4: a second Edge as the upstream', () => {
  it('EDGE-SR-4, EDGE-SR-7: pulls through from another edgeproof Edge, one GET for concurrent requests', async () => {
    const origin = await startEdge();
    opened.push(origin);
    const bytes = bytesOf(500_000, 5);
    const put = await fetch(`${origin.art}/artifactory-edge-uploads/dir/f.bin`, { method: 'PUT', headers: { authorization: origin.admin }, body: bytes });
    expect(put.status).toBe(201);
    const edge = await startEdge();
    opened.push(edge);
    const created = await createRemote(edge, 'remote', `${origin.art}/artifactory-edge-uploads`, { username: 'admin', password: 'admin-password-for-tests' });
    expect(created.status, created.body).toBe(200);
    const results = await Promise.all(Array.from({ length: 5 }, () => transfer(edge, 'remote/dir/f.bin')));
    for (const r of results) expect([r.complete, sha256(r.body)]).toEqual([true, sha256(bytes)]);
    expect((await api(edge, 'GET', '/api/storage/remote/dir')).json.children).toEqual([{ uri: '/f.bin', folder: false }]);
    expect((await cached(edge, 'dir/f.bin'))?.checksums?.sha256).toBe(sha256(bytes));
  });
});

/** A user whose permission target grants `actions` on the remote repository. */
async function userWith(edge: RunningEdge, name: string, actions: string[]): Promise<void> {
  const json = (body: unknown) => ({ method: 'PUT', headers: { authorization: edge.admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const user = await fetch(`${edge.art}/api/security/users/${name}`, json({ email: `${name}@example.com`, password: 'Reader-password-1' }));
  expect(user.status).toBeLessThan(300);
  if (actions.length === 0) return;
  const target = await fetch(
    `${edge.art}/api/v2/security/permissions/${name}`,
    json({ name, repo: { repositories: ['remote'], include_patterns: ['**'], actions: { users: { [name]: actions } } } }),
  );
  expect(target.status, await target.text()).toBeLessThan(300);
}
