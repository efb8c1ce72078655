import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.ts';
import { openSqliteStore } from './sqlite-store.ts';

/** Migration 4 on a data directory whose transactions were stored before files had a position. */
describe('transaction file order across the upgrade to schema v4', () => {
  let dir: string;
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('EDP-TX-3: files stored before v4 keep reading in path order; the database reaches the current version', async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgeproof-tx-order-'));
    const file = join(dir, 'metadata.db');
    const old = new Database(file);
    for (const [version, sql] of MIGRATIONS.slice(0, 3).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${version + 1}`);
    }
    old
      .prepare(
        `INSERT INTO edp_transactions (id, name, version, payload_sha256, jws, kid, state, created, last_activity, closed, created_by)
         VALUES ('t1', 'b', '1.0', ?, 'h.p.s', '0123456789abcdef', 'OPEN', 1, 1, NULL, 'admin')`,
      )
      .run('c'.repeat(64));
    const insert = old.prepare(
      `INSERT INTO edp_transaction_files (tx_id, repo_path, repo, path, sha256, size, props, state) VALUES ('t1', ?, 'r', ?, ?, 1, '[]', 'MISSING')`,
    );
    for (const path of ['z', 'a']) insert.run(`r/${path}`, path, 'd'.repeat(64));
    old.close();

    const store = openSqliteStore(file);
    try {
      expect((await store.bundles.transaction('t1'))?.files.map((f) => f.path)).toEqual(['a', 'z']);
    } finally {
      await store.close();
    }
    const upgraded = new Database(file, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    upgraded.close();
  });
});
