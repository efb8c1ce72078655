import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { immediateTransactions } from './immediate.ts';

it('EDGE-CLU-2: a transaction that reads, then writes after another process wrote, does not fail with SQLITE_BUSY_SNAPSHOT', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-immediate-'));
  const open = (immediate: boolean) => {
    const db = new Database(join(dir, 'db'), { timeout: 50 });
    db.pragma('journal_mode = WAL');
    return immediate ? immediateTransactions(db) : db;
  };
  try {
    const setup = open(false);
    setup.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (0)');
    const other = open(false);
    // Read, let the other process write, then write: what a request does while another worker writes.
    const readThenWrite = (db: Database.Database) =>
      db.transaction(() => {
        const n = db.prepare('SELECT n FROM t').pluck().get() as number;
        try {
          other.prepare('UPDATE t SET n = n + 10').run();
        } catch {
          // Immediate: the other process waits for this transaction (here: gives up, being the same thread).
        }
        db.prepare('UPDATE t SET n = ?').run(n + 1);
      })();
    expect(() => readThenWrite(open(false))).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY_SNAPSHOT' }));
    expect(() => readThenWrite(open(true))).not.toThrow();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
