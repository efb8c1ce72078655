import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBundle } from '../protocol/bundle/index.ts';
import { raw, snapshot, startEdge, type RunningEdge } from './edge-harness.ts';
import {
  EDP,
  commit,
  createRepo,
  distribute,
  errorCode,
  fixtureSigningKey,
  json,
  makeBundle,
  payloadOf,
  sha256,
  start,
  trustFixtureKey,
  uploadFile,
  type BundleFile,
} from './bundle-kit.ts';

const file = (repoPath: string): BundleFile => ({ repoPath, bytes: Buffer.from(`bytes of ${repoPath}`) });

/**
 * Issue #8, hole 4: a path that is a file in one place and a folder in another. Inside one
 * signed bundle it can never commit, so start refuses it (EDP-SIG-25); against content already
 * published it depends on what is there at commit time, so commit refuses it (EDP-TX-8). Either
 * way the code is one of the EDP table, never the item store's ITEM_TYPE_CONFLICT.
 */
describe('file/folder conflicts of bundle paths', () => {
  let edge: RunningEdge;
  const get = (path: string) => raw(edge.url, 'GET', path, { headers: { authorization: edge.admin } });

  beforeAll(async () => {
    edge = await startEdge();
    await trustFixtureKey(edge);
    await createRepo(edge, 'paths-local');
  });
  afterAll(() => edge.close());

  const selfConflicting: [string, string[]][] = [
    ['the file first', ['paths-local/a', 'paths-local/a/b']],
    ['the file last', ['paths-local/c/d', 'paths-local/c']],
    ['several levels apart', ['paths-local/e', 'paths-local/x.txt', 'paths-local/e/f/g/h']],
  ];
  for (const [label, paths] of selfConflicting) {
    it(`EDP-SIG-25, EDP-TX-3: a bundle holding a path as file and as folder (${label}) → 400 EDP_BUNDLE_MALFORMED at start, nothing created`, async () => {
      const bundle = await makeBundle(`self-${paths.length}-${label.length}`, '1.0', paths.map(file));
      const before = await snapshot(edge);
      const res = await start(edge, bundle.jws, { auto_create_missing_repositories: true });
      expect(res.status, res.text).toBe(400);
      expect(errorCode(res)).toBe('EDP_BUNDLE_MALFORMED');
      expect(res.json()).toMatchObject({ errors: [{ field: expect.stringMatching(/^artifacts\[\d\]\.repo_path$/), conflicts_with: expect.any(Number) }] });
      expect(await snapshot(edge)).toEqual(before);
      const all = (await json(edge, 'GET', `${EDP}/transactions`)).json() as { transactions: { name: string }[] };
      expect(all.transactions.filter((t) => t.name === bundle.payload.name)).toEqual([]);
    });
  }

  it('EDP-SIG-25, EDP-SIG-17: names that only share a prefix, case and normalisation variants are distinct paths and publish', async () => {
    const files = ['paths-local/v/a', 'paths-local/v/ab/c', 'paths-local/v/A/b', 'paths-local/v/\u00e9', 'paths-local/v/e\u0301/b'].map(file);
    await distribute(edge, await makeBundle('variants', '1.0', files));
    for (const f of files) {
      const res = await get(`/artifactory/${f.repoPath.split('/').map(encodeURIComponent).join('/')}`);
      expect(res.status, f.repoPath).toBe(200);
      expect(res.body.equals(f.bytes)).toBe(true);
    }
  });

  describe('EDP-TX-8: against published content, decided at commit', () => {
    it('a published file where the bundle needs a folder, or a published folder where it needs a file → 409 EDP_PATH_CONFLICT, nothing changes', async () => {
      const published = await makeBundle('holder', '1.0', [file('paths-local/p/lib')]);
      await distribute(edge, published);
      const under = await makeBundle('under-file', '1.0', [file('paths-local/p/lib/inner.bin')]);
      const onto = await makeBundle('onto-folder', '1.0', [file('paths-local/p')]);
      for (const bundle of [under, onto]) {
        // The conflict is with what is published now, which may change before commit: start accepts.
        const started = await start(edge, bundle.jws);
        expect(started.status, started.text).toBe(201);
        const id = (started.json() as { id: string }).id;
        expect((await uploadFile(edge, id, bundle.files[0] as BundleFile)).status).toBe(201);
        const before = await snapshot(edge);
        const res = await commit(edge, id);
        expect(res.status, res.text).toBe(409);
        expect(errorCode(res)).toBe('EDP_PATH_CONFLICT');
        expect(res.json()).toMatchObject({ errors: [{ repo_path: bundle.files[0]?.repoPath }] });
        expect(await snapshot(edge)).toEqual(before);
        expect((await json(edge, 'GET', `${EDP}/transactions/${id}`)).json()).toMatchObject({ state: 'OPEN' });
        expect((await get(`/artifactory/api/release/bundles/${bundle.payload.name}/1.0`)).status).toBe(404);
      }
      // Once the other bundle is deleted, the same transaction commits.
      expect((await json(edge, 'DELETE', '/artifactory/api/release/bundles/holder/1.0')).status).toBe(204);
      const retried = await start(edge, under.jws);
      expect(retried.status).toBe(200);
      expect((await commit(edge, (retried.json() as { id: string }).id)).status).toBe(200);
      expect((await get('/artifactory/paths-local/p/lib/inner.bin')).text).toBe('bytes of paths-local/p/lib/inner.bin');
    });
  });
});

describe('EDP-TX-8, EDP-SIG-25: a self-conflicting transaction opened before the rule existed', () => {
  it('is refused at commit with an EDP code, not ITEM_TYPE_CONFLICT, and publishes nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-legacy-tx-'));
    try {
      let edge = await startEdge({}, { dataDir });
      await trustFixtureKey(edge);
      await createRepo(edge, 'legacy-local');
      await edge.close();

      // The rows an older Edge wrote when it accepted the bundle, kept OPEN across the upgrade
      // (EDP-TX-10): written as that Edge left them, in its database.
      const files = [file('legacy-local/a'), file('legacy-local/a/b')];
      const payload = new TextEncoder().encode(JSON.stringify(payloadOf('legacy', '1.0', files)));
      const key = await fixtureSigningKey();
      const jws = await signBundle(payload, key);
      const db = new Database(join(dataDir, 'metadata.db'));
      try {
        const at = Date.now();
        db.prepare(
          `INSERT INTO edp_transactions (id, name, version, payload_sha256, jws, kid, state, created, last_activity, closed, created_by)
           VALUES ('legacy-tx', 'legacy', '1.0', ?, ?, ?, 'OPEN', ?, ?, NULL, 'admin')`,
        ).run(sha256(payload), jws, key.kid, at, at);
        const insertFile = db.prepare(
          `INSERT INTO edp_transaction_files (tx_id, repo_path, repo, path, sha256, size, props, state)
           VALUES ('legacy-tx', ?, 'legacy-local', ?, ?, ?, '[]', 'MISSING')`,
        );
        for (const f of files) insertFile.run(f.repoPath, f.repoPath.slice('legacy-local/'.length), sha256(f.bytes), f.bytes.length);
      } finally {
        db.close();
      }

      edge = await startEdge({}, { dataDir });
      try {
        for (const f of files) expect((await uploadFile(edge, 'legacy-tx', f)).status).toBe(201);
        const before = await snapshot(edge);
        const res = await commit(edge, 'legacy-tx');
        expect(res.status, res.text).toBe(400);
        expect(errorCode(res)).toBe('EDP_BUNDLE_MALFORMED');
        expect(await snapshot(edge)).toEqual(before);
        expect((await raw(edge.url, 'GET', '/artifactory/api/release/bundles/legacy/1.0', { headers: { authorization: edge.admin } })).status).toBe(404);
      } finally {
        await edge.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
