import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commit, createRepo, makeBundle, start, trustFixtureKey, type BundleFile } from './bundle-kit.ts';
import { startEdge, type RunningEdge } from './edge-harness.ts';
import type { PushReport } from '../protocol/wire/source-bundles.ts';
import { testSource, type TestSource } from '../simulator/source/__fixtures__/test-source.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The source pushes to a REAL embedded Edge over loopback: open a transaction on the Edge,
 * push through the source's endpoint (outbound calls via ctx.fetch = global fetch), commit on
 * the Edge, and read the published bytes back.
 */
describe('source → real Edge over EDP', () => {
  let edge: RunningEdge;
  let src: TestSource;
  const big = randomBytes(256 * 1024);
  const small = Buffer.from('release notes for the pushed bundle\n');
  const fresh = randomBytes(10_000);

  beforeAll(async () => {
    edge = await startEdge();
    await trustFixtureKey(edge);
    await createRepo(edge, 'generic-local');
    src = testSource({}, (request) => fetch(request));
    await src.repo('libs');
    await src.deploy('libs/build/app.bin', big);
    await src.deploy('libs/build/notes.txt', small);
    await src.deploy('libs/build/fresh.bin', fresh);
  });
  afterAll(async () => {
    await edge.close();
  });

  /** Stores the bundle on the source (target = the bundle's repo_path), opens a transaction, pushes. */
  async function storeStartPush(name: string, version: string, files: (BundleFile & { source: string })[]): Promise<{ id: string; report: PushReport }> {
    const bundle = await makeBundle(name, version, files);
    const stored = await src.call('POST', '/artifactory/api/release/bundles/store', {
      body: JSON.stringify({
        name,
        version,
        jws: bundle.jws,
        artifacts: files.map((f) => ({ source_repo_path: f.source, target_repo_path: f.repoPath, checksum: sha256(f.bytes) })),
      }),
    });
    expect(stored.status, await stored.clone().text()).toBe(201);
    const started = await start(edge, bundle.jws);
    expect(started.status, started.text).toBe(201);
    const id = (started.json() as { id: string }).id;
    const pushed = await src.call('POST', '/artifactory/api/edp/push', {
      body: JSON.stringify({ edge_url: edge.url, transaction_id: id, authorization: edge.admin, name, version }),
    });
    expect(pushed.status, await pushed.clone().text()).toBe(200);
    return { id, report: (await pushed.json()) as PushReport };
  }

  async function download(repoPath: string): Promise<Buffer> {
    const res = await fetch(`${edge.art}/${repoPath}`, { headers: { authorization: edge.admin } });
    expect(res.status, repoPath).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  it('uploads every file the Edge lacks; after commit the Edge publishes the exact bytes', async () => {
    const { id, report } = await storeStartPush('edge-push', '1.0', [
      { repoPath: 'generic-local/app/app.bin', bytes: big, source: 'libs/build/app.bin' },
      { repoPath: 'generic-local/app/notes.txt', bytes: small, source: 'libs/build/notes.txt' },
    ]);
    expect(report).toEqual({
      files: [
        { repo_path: 'generic-local/app/app.bin', status: 201, bytes_sent: big.length, method: 'upload' },
        { repo_path: 'generic-local/app/notes.txt', status: 201, bytes_sent: small.length, method: 'upload' },
      ],
      transferred_files: 2,
      transferred_bytes: big.length + small.length,
    });
    const committed = await commit(edge, id);
    expect(committed.status, committed.text).toBe(200);
    expect(sha256(await download('generic-local/app/app.bin'))).toBe(sha256(big));
    expect(await download('generic-local/app/notes.txt')).toEqual(small);
  });

  it('claims content the Edge already holds by checksum and uploads no bytes for it', async () => {
    const { id, report } = await storeStartPush('edge-push', '2.0', [
      // Same bytes as 1.0's app.bin, at another path: the Edge holds this content already.
      { repoPath: 'generic-local/app2/same.bin', bytes: big, source: 'libs/build/app.bin' },
      { repoPath: 'generic-local/app2/fresh.bin', bytes: fresh, source: 'libs/build/fresh.bin' },
    ]);
    expect(report.files).toEqual([
      // EDP-TX-3 marked it PRESENT at start, so the checksum deploy answers 200 (already PRESENT).
      { repo_path: 'generic-local/app2/same.bin', status: 200, bytes_sent: 0, method: 'checksum' },
      { repo_path: 'generic-local/app2/fresh.bin', status: 201, bytes_sent: fresh.length, method: 'upload' },
    ]);
    expect(report.transferred_bytes).toBe(fresh.length);
    expect((await commit(edge, id)).status).toBe(200);
    expect(sha256(await download('generic-local/app2/same.bin'))).toBe(sha256(big));
    expect(sha256(await download('generic-local/app2/fresh.bin'))).toBe(sha256(fresh));
  });

  it('claims content that reached the Edge after the transaction started with a 201 checksum deploy', async () => {
    const shared = randomBytes(50_000);
    await src.deploy('libs/build/shared.bin', shared);
    // Two bundles with the same new content, both started before either is pushed.
    const first = await makeBundle('edge-race', '1.0', [{ repoPath: 'generic-local/race1/shared.bin', bytes: shared }]);
    const second = await makeBundle('edge-race', '2.0', [{ repoPath: 'generic-local/race2/shared.bin', bytes: shared }]);
    const ids: string[] = [];
    for (const [bundle, version] of [
      [first, '1.0'],
      [second, '2.0'],
    ] as const) {
      const target = bundle.files[0]?.repoPath as string;
      const body = {
        name: 'edge-race',
        version,
        jws: bundle.jws,
        artifacts: [{ source_repo_path: 'libs/build/shared.bin', target_repo_path: target, checksum: sha256(shared) }],
      };
      expect((await src.call('POST', '/artifactory/api/release/bundles/store', { body: JSON.stringify(body) })).status).toBe(201);
      const started = await start(edge, bundle.jws);
      expect((started.json() as { files: { state: string }[] }).files[0]?.state).toBe('MISSING');
      ids.push((started.json() as { id: string }).id);
    }
    const push = async (id: string, version: string) =>
      (await (
        await src.call('POST', '/artifactory/api/edp/push', {
          body: JSON.stringify({ edge_url: edge.url, transaction_id: id, authorization: edge.admin, name: 'edge-race', version }),
        })
      ).json()) as PushReport;
    expect((await push(ids[0] as string, '1.0')).files[0]).toMatchObject({ status: 201, method: 'upload', bytes_sent: shared.length });
    expect((await commit(edge, ids[0] as string)).status).toBe(200);
    const claimed = await push(ids[1] as string, '2.0');
    expect(claimed).toEqual({
      files: [{ repo_path: 'generic-local/race2/shared.bin', status: 201, bytes_sent: 0, method: 'checksum' }],
      transferred_files: 1,
      transferred_bytes: 0,
    });
    expect((await commit(edge, ids[1] as string)).status).toBe(200);
    expect(sha256(await download('generic-local/race2/shared.bin'))).toBe(sha256(shared));
  });

  it('reports the Edge refusing a push to a transaction that is no longer open, without uploading', async () => {
    const { id } = await storeStartPush('edge-push', '3.0', [{ repoPath: 'generic-local/app3/notes.txt', bytes: small, source: 'libs/build/notes.txt' }]);
    expect((await commit(edge, id)).status).toBe(200);
    const again = await src.call('POST', '/artifactory/api/edp/push', {
      body: JSON.stringify({ edge_url: edge.url, transaction_id: id, authorization: edge.admin, name: 'edge-push', version: '3.0' }),
    });
    const report = (await again.json()) as PushReport;
    expect(report.files).toEqual([
      { repo_path: 'generic-local/app3/notes.txt', status: 409, code: 'EDP_TX_CLOSED', message: expect.any(String), bytes_sent: 0, method: 'checksum' },
    ]);
    expect(report.transferred_files).toBe(0);
  });
});
