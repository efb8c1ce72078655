import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { basic, startEdge, type RunningEdge } from './edge-harness.ts';
import { startPostgres, type PostgresServer } from './postgres-server.ts';
import { bytesOf, createRemote, startUpstream, transfer, UPSTREAM_REPO, type Upstream } from './smart-remote-kit.ts';

/**
 * What one node of a cluster learns, the next request on another node honours at once: two
 * Edges in this process on one PostgreSQL database and one shard directory, as two nodes behind
 * a load balancer (the three-process cluster runs the same through `test/cluster-conformance`).
 */

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

/** Two nodes on a fresh database, sharing their binaries. */
async function twoNodes(): Promise<[RunningEdge, RunningEdge]> {
  const databaseUrl = await server.createDatabase();
  const shards = await mkdtemp(join(tmpdir(), 'edgeproof-shared-shard-'));
  opened.push({ close: () => rm(shards, { recursive: true, force: true }) });
  const config = { databaseType: 'postgresql' as const, databaseUrl, binariesType: 'sharded' as const, binariesShards: shards, binariesRedundancy: 1 };
  const a = await startEdge({ ...config, nodeId: 'node-a' });
  opened.push(a);
  const b = await startEdge({ ...config, nodeId: 'node-b' });
  opened.push(b);
  return [a, b];
}

async function withRemote(
  rules: Parameters<typeof startUpstream>[0],
  remote: Record<string, unknown> = {},
): Promise<{ a: RunningEdge; b: RunningEdge; upstream: Upstream }> {
  const upstream = await startUpstream(rules);
  opened.push(upstream);
  const [a, b] = await twoNodes();
  const created = await createRemote(a, 'remote', upstream.repoUrl, remote);
  expect(created.status, created.body).toBe(200);
  return { a, b, upstream };
}

/**
 * Holds back PostgreSQL's notifications to every node (their LISTEN connections' server
 * processes are stopped) while `run` runs: the window between a commit and its NOTIFY's
 * delivery, made as long as the test needs.
 */
async function withoutNotifications<T>(run: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server.url() });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %'");
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const { pid } of rows) process.kill(pid, 'SIGSTOP');
    try {
      return await run();
    } finally {
      for (const { pid } of rows) process.kill(pid, 'SIGCONT');
    }
  } finally {
    await client.end();
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('two nodes on one PostgreSQL database', () => {
  it('EDGE-AUTH-11: a password changed through one node is refused by the other on the next request, before any notification arrives', async () => {
    const [a, b] = await twoNodes();
    const users = `${a.art}/api/security/users/changer`;
    const put = await fetch(users, {
      method: 'PUT',
      headers: { authorization: a.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'c@example.com', password: 'first-password-1' }),
    });
    expect(put.status, await put.text()).toBe(201);
    const readOnB = async (password: string) => (await fetch(`${b.art}/api/repositories`, { headers: { authorization: basic('changer', password) } })).status;
    // Used twice on B: its credential cache holds the success.
    expect([await readOnB('first-password-1'), await readOnB('first-password-1')]).toEqual([200, 200]);
    await withoutNotifications(async () => {
      const change = await fetch(users, {
        method: 'POST',
        headers: { authorization: a.admin, 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'second-password-2' }),
      });
      expect(change.status, await change.text()).toBe(200);
      expect(await readOnB('first-password-1')).toBe(401);
      expect(await readOnB('second-password-2')).toBe(200);
    });
  });

  it('EDGE-HA-5, EDGE-SR-8: an upstream 404 one node met is remembered by the other for the miss period', async () => {
    const { a, b, upstream } = await withRemote([], { missedRetrievalCachePeriodSecs: 60 });
    expect((await transfer(a, 'remote/late.txt')).status).toBe(404);
    await upstream.put('late.txt', 'now here');
    expect((await transfer(b, 'remote/late.txt')).status).toBe(404);
    expect(await upstream.count('HEAD', 'late.txt')).toBe(1);
  });

  it('EDGE-HA-5, EDGE-SR-9: after one node failed to connect, the other assumes the upstream offline too and does not ask it', async () => {
    const { a, b, upstream } = await withRemote([{ route: `/artifactory/${UPSTREAM_REPO}/x.txt`, method: 'HEAD', nth: 1, fault: { kind: 'hang', ms: 10 } }], {
      assumedOfflinePeriodSecs: 30,
      hardFail: true,
    });
    await upstream.put('x.txt', 'x');
    const failed = await fetch(`${a.art}/remote/x.txt`, { headers: { authorization: a.admin } });
    expect(failed.status).toBe(502);
    await upstream.recorder.settled();
    const exchanges = upstream.recorder.entries().length;
    const onB = await fetch(`${b.art}/remote/x.txt`, { headers: { authorization: b.admin } });
    expect([onB.status, await onB.text()]).toEqual([502, expect.stringContaining('assumed offline')]);
    await upstream.recorder.settled();
    expect(upstream.recorder.entries().length).toBe(exchanges);
  });

  it('EDGE-HA-5, EDGE-SR-7: concurrent requests for one uncached file through both nodes make one upstream GET; every client gets the whole file', async () => {
    const size = 1024 * 1024;
    const { a, b, upstream } = await withRemote([
      { route: `/artifactory/${UPSTREAM_REPO}/big.bin`, method: 'GET', fault: { kind: 'bandwidth', bytesPerSecond: 2 * 1024 * 1024 } },
    ]);
    const bytes = bytesOf(size, 13);
    await upstream.put('big.bin', bytes);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => transfer(i % 2 === 0 ? a : b, 'remote/big.bin')));
    for (const r of results) expect([r.status, r.complete, sha256(r.body)]).toEqual([200, true, sha256(bytes)]);
    expect(await upstream.count('GET', 'big.bin')).toBe(1);
  });
});
