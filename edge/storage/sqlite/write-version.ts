import type Database from 'better-sqlite3';

/** Migration 8 (EDGE-AUTH-11): one counter per table family, bumped in each write's transaction. */
export const WRITE_VERSIONS_MIGRATION = `
  CREATE TABLE write_versions (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO write_versions (name, value) VALUES ('users', 0), ('tokens', 0);
`;

/**
 * EDGE-AUTH-10: a number that moves with every write to a table family, so caches of what was
 * read from it (verified credentials, permission targets) can tell they may be out of date. A
 * failed write moves it too: the cautious side.
 *
 * EDGE-AUTH-11: it moves for a write made by ANY process sharing the database: the family's row
 * in `write_versions` is bumped in the same transaction as the write, and read (a prepared
 * statement, microseconds) each time the version is asked for; this process's own count is
 * added, so a write here that failed moves it as well.
 */
export class WriteVersion {
  #local = 0;
  #read: Database.Statement | undefined;
  #bump: Database.Statement | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly family: 'users' | 'tokens',
  ) {}

  get value(): number {
    this.#read ??= this.db.prepare('SELECT value FROM write_versions WHERE name = ?').pluck();
    return this.#local + (this.#read.get(this.family) as number);
  }

  around<T>(write: () => T): T {
    this.#bump ??= this.db.prepare('UPDATE write_versions SET value = value + 1 WHERE name = ?');
    const bump = this.#bump;
    try {
      return this.db.transaction(() => {
        const result = write();
        bump.run(this.family);
        return result;
      })();
    } finally {
      this.#local++;
    }
  }
}
