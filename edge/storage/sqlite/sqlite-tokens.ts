import type Database from 'better-sqlite3';
import type { TokenRecord, TokenStore } from '../metadata.ts';
import { WriteVersion } from './write-version.ts';

type Db = Database.Database;

/** Access tokens this Edge issued (EDGE-TRUST-16); tokens of other services are never stored. */
export const TOKENS_MIGRATION = `
  CREATE TABLE access_tokens (
    id           TEXT PRIMARY KEY,
    subject      TEXT NOT NULL,
    scope        TEXT NOT NULL,
    audience     TEXT NOT NULL,
    description  TEXT NOT NULL,
    issued       INTEGER NOT NULL,
    expiry       INTEGER NOT NULL,
    refresh_hash TEXT UNIQUE,
    revoked      INTEGER
  ) WITHOUT ROWID;
`;

export interface TokenRow {
  id: string;
  subject: string;
  scope: string;
  audience: string;
  description: string;
  issued: number;
  expiry: number;
  refresh_hash: string | null;
  revoked: number | null;
}

export const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  subject: row.subject,
  scope: row.scope,
  audience: JSON.parse(row.audience) as string[],
  description: row.description,
  issued: row.issued,
  expiry: row.expiry,
  refreshHash: row.refresh_hash,
  revoked: row.revoked,
});

export class SqliteTokens implements TokenStore {
  /** Prepared once: read on every request with one of this Edge's tokens (EDGE-TRUST-16). */
  #get: Database.Statement | undefined;
  readonly #version: WriteVersion;

  constructor(private readonly db: Db) {
    this.#version = new WriteVersion(db, 'tokens');
  }

  version(): number {
    return this.#version.value;
  }

  async add(token: TokenRecord): Promise<void> {
    this.#version.around(() => this.#insert(token));
  }

  async get(id: string): Promise<TokenRecord | undefined> {
    const row = (this.#get ??= this.db.prepare('SELECT * FROM access_tokens WHERE id = ?')).get(id) as TokenRow | undefined;
    return row && toToken(row);
  }

  async list(): Promise<TokenRecord[]> {
    return (this.db.prepare('SELECT * FROM access_tokens ORDER BY issued, id').all() as TokenRow[]).map(toToken);
  }

  async byRefreshHash(hash: string): Promise<TokenRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM access_tokens WHERE refresh_hash = ?').get(hash) as TokenRow | undefined;
    return row && toToken(row);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const found = this.db.prepare('SELECT 1 FROM access_tokens WHERE id = ?').get(id) !== undefined;
    this.#version.around(() => this.db.prepare('UPDATE access_tokens SET revoked = ? WHERE id = ? AND revoked IS NULL').run(at, id));
    return found;
  }

  async replace(oldId: string, next: TokenRecord, at: number): Promise<boolean> {
    return this.#version.around(() =>
      this.db.transaction(() => {
        // Two refreshes racing with one refresh token: only the first finds it unrevoked.
        const changed = this.db.prepare('UPDATE access_tokens SET revoked = ? WHERE id = ? AND revoked IS NULL').run(at, oldId).changes;
        if (changed === 0) return false;
        this.#insert(next);
        return true;
      })(),
    );
  }

  #insert(token: TokenRecord): void {
    this.db
      .prepare(
        `INSERT INTO access_tokens (id, subject, scope, audience, description, issued, expiry, refresh_hash, revoked)
         VALUES (@id, @subject, @scope, @audience, @description, @issued, @expiry, @refreshHash, @revoked)`,
      )
      .run({ ...token, audience: JSON.stringify(token.audience) });
  }
}
