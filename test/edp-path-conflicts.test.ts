import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { signBundle } from '../protocol/bundle/index.ts';
import { raw, snapshot, startEdge } from './edge-harness.ts';
import { commit, createRepo, errorCode, fixtureSigningKey, payloadOf, sha256, trustFixtureKey, uploadFile, type BundleFile } from './bundle-kit.ts';

const file = (repoPath: string): BundleFile => ({ repoPath, bytes: Buffer.from(`bytes of ${repoPath}`) });

/**
 * Issue #8, hole 4, on this Edge's database: a transaction an older Edge opened for a bundle that
 * holds a path as a file and as a folder, kept OPEN across the upgrade, is refused at commit with
 * an EDP code. The file/folder rules at start and against published content are conformance
 * scenarios (scenarios/scripted/edp/path-conflicts.ts); this one writes the old rows itself.
 */
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
          `INSERT INTO edp_transactions (id, name, version, payload_sha256, kid, state, created, last_activity, closed, created_by)
           VALUES ('legacy-tx', 'legacy', '1.0', ?, ?, 'OPEN', ?, ?, NULL, 'admin')`,
        ).run(sha256(payload), key.kid, at, at);
        // The signed bundle has its own table since migration 7 (the ingest's group commit).
        db.prepare(`INSERT INTO edp_transaction_jws (tx_id, jws) VALUES ('legacy-tx', ?)`).run(jws);
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
