import type Database from 'better-sqlite3';
import { preparedOnce } from './prepared.ts';
import type { FetchClaim, FetchOutcome, UpstreamMemory } from '../metadata.ts';

/** Migration 9 (EDGE-HA-5): smart-remote memory every process sharing the database honours. */
export const UPSTREAM_MEMORY_MIGRATION = `
  CREATE TABLE remote_misses (
    repo  TEXT NOT NULL,
    path  TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (repo, path)
  ) WITHOUT ROWID;
  CREATE INDEX remote_misses_until ON remote_misses (until);

  CREATE TABLE remote_offline (
    repo  TEXT PRIMARY KEY,
    until INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE remote_fetches (
    repo    TEXT NOT NULL,
    path    TEXT NOT NULL,
    holder  TEXT NOT NULL,
    until   INTEGER NOT NULL,
    outcome TEXT,
    PRIMARY KEY (repo, path)
  ) WITHOUT ROWID;
`;

/** EDGE-HA-5 on SQLite: the rows of migration 9, shared by the workers of one Edge. */
export class SqliteUpstreamMemory implements UpstreamMemory {
  /** Every smart-remote miss and download asks these: compiled once (prepared.ts). */
  readonly #statement: (sql: string) => Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.#statement = preparedOnce(db);
  }

  async missed(repo: string, path: string, now: number): Promise<boolean> {
    return this.#statement('SELECT 1 FROM remote_misses WHERE repo = ? AND path = ? AND until > ?').get(repo, path, now) !== undefined;
  }

  async rememberMiss(repo: string, path: string, until: number, now: number): Promise<void> {
    this.db.transaction(() => {
      // Lapsed misses go as new ones come, so the table holds only what could still be honoured.
      this.#statement('DELETE FROM remote_misses WHERE until <= ?').run(now);
      this.#statement('INSERT INTO remote_misses (repo, path, until) VALUES (?, ?, ?) ON CONFLICT (repo, path) DO UPDATE SET until = excluded.until').run(
        repo,
        path,
        until,
      );
    })();
  }

  async offline(repo: string, now: number): Promise<boolean> {
    return this.#statement('SELECT 1 FROM remote_offline WHERE repo = ? AND until > ?').get(repo, now) !== undefined;
  }

  async rememberOffline(repo: string, until: number): Promise<void> {
    this.#statement('INSERT INTO remote_offline (repo, until) VALUES (?, ?) ON CONFLICT (repo) DO UPDATE SET until = excluded.until').run(repo, until);
  }

  async forget(repo: string): Promise<void> {
    this.db.transaction(() => {
      this.#statement('DELETE FROM remote_misses WHERE repo = ?').run(repo);
      this.#statement('DELETE FROM remote_offline WHERE repo = ?').run(repo);
    })();
  }

  async claimFetch(repo: string, path: string, holder: string, until: number, now: number, waitingOn?: string): Promise<FetchClaim> {
    const taken = this.#statement(
      `INSERT INTO remote_fetches (repo, path, holder, until, outcome) VALUES (?, ?, ?, ?, NULL)
         ON CONFLICT (repo, path) DO UPDATE SET holder = excluded.holder, until = excluded.until, outcome = NULL
         WHERE remote_fetches.until < ? OR (remote_fetches.outcome IS NOT NULL AND remote_fetches.holder IS NOT ?)`,
    ).run(repo, path, holder, until, now, waitingOn ?? null).changes;
    if (taken > 0) return { taken: true };
    const row = this.#statement('SELECT holder, outcome FROM remote_fetches WHERE repo = ? AND path = ?').get(repo, path) as
      | { holder: string; outcome: FetchOutcome | null }
      | undefined;
    // The row went between the two statements (cannot happen under SQLite's one writer): ask again.
    return row ? { taken: false, holder: row.holder, outcome: row.outcome } : this.claimFetch(repo, path, holder, until, now, waitingOn);
  }

  async renewFetch(repo: string, path: string, holder: string, until: number): Promise<boolean> {
    return (
      this.#statement('UPDATE remote_fetches SET until = ? WHERE repo = ? AND path = ? AND holder = ? AND outcome IS NULL').run(until, repo, path, holder)
        .changes > 0
    );
  }

  async endFetch(repo: string, path: string, holder: string, outcome: FetchOutcome, until: number): Promise<void> {
    this.#statement('UPDATE remote_fetches SET outcome = ?, until = ? WHERE repo = ? AND path = ? AND holder = ?').run(outcome, until, repo, path, holder);
  }
}
