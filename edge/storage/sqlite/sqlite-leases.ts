import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { JobLeases } from '../metadata.ts';

export const LEASES_MIGRATION = `
  CREATE TABLE leases (
    job    TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

/**
 * EDGE-OPS-8: a lease row per job, taken in a write transaction, so every process sharing the
 * database file (workers of one Edge) sees it. A holder that dies leaves its lease until it
 * lapses; the jobs it guards are idempotent, so the next holder finishes what was left.
 */
export class SqliteLeases implements JobLeases {
  readonly #holder = randomUUID();

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  async runExclusive<T>(job: string, run: () => Promise<T>, leaseMs = 10 * 60_000): Promise<T | undefined> {
    const at = this.now();
    const taken = this.db
      .prepare(
        `INSERT INTO leases (job, holder, until) VALUES (?, ?, ?)
         ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, until = excluded.until WHERE leases.until < ?`,
      )
      .run(job, this.#holder, at + leaseMs, at).changes;
    if (taken === 0) return undefined;
    try {
      return await run();
    } finally {
      if (this.db.open) this.db.prepare('DELETE FROM leases WHERE job = ? AND holder = ?').run(job, this.#holder);
    }
  }
}
