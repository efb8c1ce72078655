import type { FetchClaim, FetchOutcome, UpstreamMemory } from '../metadata.ts';
import type { PgDb } from './pg-db.ts';

/** Migration 2 (EDGE-HA-5): sqlite-upstream-memory.ts's tables, shared by the nodes of a cluster. */
export const PG_UPSTREAM_MEMORY_MIGRATION = `
  CREATE TABLE remote_misses (
    repo  TEXT COLLATE "C" NOT NULL,
    path  TEXT COLLATE "C" NOT NULL,
    until BIGINT NOT NULL,
    PRIMARY KEY (repo, path)
  );
  CREATE INDEX remote_misses_until ON remote_misses (until);

  CREATE TABLE remote_offline (
    repo  TEXT COLLATE "C" PRIMARY KEY,
    until BIGINT NOT NULL
  );

  CREATE TABLE remote_fetches (
    repo    TEXT COLLATE "C" NOT NULL,
    path    TEXT COLLATE "C" NOT NULL,
    holder  TEXT NOT NULL,
    until   BIGINT NOT NULL,
    outcome TEXT,
    PRIMARY KEY (repo, path)
  );
`;

/**
 * EDGE-HA-5 on PostgreSQL. Each method is one statement (a claim: an upsert, and a read when it
 * was not taken), in READ COMMITTED: the upsert's conflict arbitration is what makes one claim
 * win among nodes, with no serialization retries on a hot path.
 */
export class PgUpstreamMemory implements UpstreamMemory {
  constructor(private readonly db: PgDb) {}

  missed(repo: string, path: string, now: number): Promise<boolean> {
    return this.db.read(
      async (sql) => (await sql.query('SELECT 1 FROM remote_misses WHERE repo = $1 AND path = $2 AND until > $3', [repo, path, now])).length > 0,
    );
  }

  async rememberMiss(repo: string, path: string, until: number, now: number): Promise<void> {
    await this.db.write(async (sql) => {
      // Lapsed misses go as new ones come, so the table holds only what could still be honoured.
      await sql.run('DELETE FROM remote_misses WHERE until <= $1', [now]);
      await sql.run('INSERT INTO remote_misses (repo, path, until) VALUES ($1, $2, $3) ON CONFLICT (repo, path) DO UPDATE SET until = excluded.until', [
        repo,
        path,
        until,
      ]);
    }, 'READ COMMITTED');
  }

  offline(repo: string, now: number): Promise<boolean> {
    return this.db.read(async (sql) => (await sql.query('SELECT 1 FROM remote_offline WHERE repo = $1 AND until > $2', [repo, now])).length > 0);
  }

  async rememberOffline(repo: string, until: number): Promise<void> {
    await this.db.write(
      (sql) => sql.run('INSERT INTO remote_offline (repo, until) VALUES ($1, $2) ON CONFLICT (repo) DO UPDATE SET until = excluded.until', [repo, until]),
      'READ COMMITTED',
    );
  }

  async forget(repo: string): Promise<void> {
    await this.db.write(async (sql) => {
      await sql.run('DELETE FROM remote_misses WHERE repo = $1', [repo]);
      await sql.run('DELETE FROM remote_offline WHERE repo = $1', [repo]);
    }, 'READ COMMITTED');
  }

  async claimFetch(repo: string, path: string, holder: string, until: number, now: number, waitingOn?: string): Promise<FetchClaim> {
    const taken = await this.db.write(
      (sql) =>
        sql.run(
          `INSERT INTO remote_fetches (repo, path, holder, until, outcome) VALUES ($1, $2, $3, $4, NULL)
           ON CONFLICT (repo, path) DO UPDATE SET holder = excluded.holder, until = excluded.until, outcome = NULL
           WHERE remote_fetches.until < $5 OR (remote_fetches.outcome IS NOT NULL AND remote_fetches.holder IS DISTINCT FROM $6)`,
          [repo, path, holder, until, now, waitingOn ?? null],
        ),
      'READ COMMITTED',
    );
    if (taken > 0) return { taken: true };
    const [row] = await this.db.read((sql) =>
      sql.query<{ holder: string; outcome: FetchOutcome | null }>('SELECT holder, outcome FROM remote_fetches WHERE repo = $1 AND path = $2', [repo, path]),
    );
    // Only a claim's holder ends it, never removes it: a row once there stays, so this is rare; ask again.
    return row ? { taken: false, holder: row.holder, outcome: row.outcome } : this.claimFetch(repo, path, holder, until, now, waitingOn);
  }

  async renewFetch(repo: string, path: string, holder: string, until: number): Promise<boolean> {
    const renewed = await this.db.write(
      (sql) => sql.run('UPDATE remote_fetches SET until = $1 WHERE repo = $2 AND path = $3 AND holder = $4 AND outcome IS NULL', [until, repo, path, holder]),
      'READ COMMITTED',
    );
    return renewed > 0;
  }

  async endFetch(repo: string, path: string, holder: string, outcome: FetchOutcome, until: number): Promise<void> {
    await this.db.write(
      (sql) =>
        sql.run('UPDATE remote_fetches SET outcome = $1, until = $2 WHERE repo = $3 AND path = $4 AND holder = $5', [outcome, until, repo, path, holder]),
      'READ COMMITTED',
    );
  }
}
