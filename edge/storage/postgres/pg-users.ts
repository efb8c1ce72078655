import type { PermissionTarget, TokenRecord, TokenStore, UserRecord, UserStore } from '../metadata.ts';
import { toToken, type TokenRow } from '../sqlite/sqlite-tokens.ts';
import type { PgDb, Sql } from './pg-db.ts';
import { SecurityVersions, type SecurityFamily } from './pg-security-version.ts';

interface UserRow {
  name: string;
  email: string;
  password_hash: string;
  admin: boolean;
  groups: string;
  created: number;
}

const toUser = (row: UserRow): UserRecord => ({
  name: row.name,
  email: row.email,
  passwordHash: row.password_hash,
  admin: row.admin,
  groups: JSON.parse(row.groups) as string[],
  created: row.created,
});

/** A write to a security family: its version row is bumped in the same transaction (EDGE-AUTH-11). */
function securityWrite<T>(db: PgDb, versions: SecurityVersions, family: SecurityFamily, work: (sql: Sql) => Promise<T>): Promise<T> {
  return versions.around(family, () =>
    db.write(async (sql) => {
      const result = await work(sql);
      await SecurityVersions.bump(sql, family);
      return result;
    }),
  );
}

export class PgUsers implements UserStore {
  constructor(
    private readonly db: PgDb,
    private readonly versions: SecurityVersions,
  ) {}

  version(): number {
    return this.versions.version('users');
  }

  confirmVersion(): Promise<void> {
    return this.versions.confirm(this.db);
  }

  list(): Promise<UserRecord[]> {
    return this.db.read(async (sql) => (await sql.query<UserRow>('SELECT * FROM users ORDER BY name')).map(toUser));
  }

  get(name: string): Promise<UserRecord | undefined> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<UserRow>('SELECT * FROM users WHERE name = $1', [name]);
      return row && toUser(row);
    });
  }

  async put(user: UserRecord): Promise<void> {
    await securityWrite(this.db, this.versions, 'users', (sql) =>
      sql.run(
        `INSERT INTO users (name, email, password_hash, admin, groups, created) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name) DO UPDATE SET email = $2, password_hash = $3, admin = $4, groups = $5`,
        [user.name, user.email, user.passwordHash, user.admin, JSON.stringify(user.groups), user.created],
      ),
    );
  }

  delete(name: string): Promise<boolean> {
    return securityWrite(this.db, this.versions, 'users', async (sql) => (await sql.run('DELETE FROM users WHERE name = $1', [name])) > 0);
  }

  permissions(): Promise<PermissionTarget[]> {
    return this.db.read(async (sql) =>
      (await sql.query<{ body: string }>('SELECT body FROM permissions ORDER BY name')).map((row) => JSON.parse(row.body) as PermissionTarget),
    );
  }

  getPermission(name: string): Promise<PermissionTarget | undefined> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<{ body: string }>('SELECT body FROM permissions WHERE name = $1', [name]);
      return row && (JSON.parse(row.body) as PermissionTarget);
    });
  }

  async putPermission(target: PermissionTarget): Promise<void> {
    await securityWrite(this.db, this.versions, 'users', (sql) =>
      sql.run('INSERT INTO permissions (name, body) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET body = excluded.body', [
        target.name,
        JSON.stringify(target),
      ]),
    );
  }

  deletePermission(name: string): Promise<boolean> {
    return securityWrite(this.db, this.versions, 'users', async (sql) => (await sql.run('DELETE FROM permissions WHERE name = $1', [name])) > 0);
  }
}

const insertToken = (sql: Sql, token: TokenRecord) =>
  sql.run(
    `INSERT INTO access_tokens (id, subject, scope, audience, description, issued, expiry, refresh_hash, revoked)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [token.id, token.subject, token.scope, JSON.stringify(token.audience), token.description, token.issued, token.expiry, token.refreshHash, token.revoked],
  );

/** Access tokens this Edge issued (EDGE-TRUST-16): sqlite-tokens.ts in PostgreSQL. */
export class PgTokens implements TokenStore {
  constructor(
    private readonly db: PgDb,
    private readonly versions: SecurityVersions,
  ) {}

  version(): number {
    return this.versions.version('tokens');
  }

  async add(token: TokenRecord): Promise<void> {
    await securityWrite(this.db, this.versions, 'tokens', (sql) => insertToken(sql, token));
  }

  get(id: string): Promise<TokenRecord | undefined> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<TokenRow>('SELECT * FROM access_tokens WHERE id = $1', [id]);
      return row && toToken(row);
    });
  }

  list(): Promise<TokenRecord[]> {
    return this.db.read(async (sql) => (await sql.query<TokenRow>('SELECT * FROM access_tokens ORDER BY issued, id')).map(toToken));
  }

  byRefreshHash(hash: string): Promise<TokenRecord | undefined> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<TokenRow>('SELECT * FROM access_tokens WHERE refresh_hash = $1', [hash]);
      return row && toToken(row);
    });
  }

  revoke(id: string, at: number): Promise<boolean> {
    return securityWrite(this.db, this.versions, 'tokens', async (sql) => {
      const [found] = await sql.query('SELECT 1 FROM access_tokens WHERE id = $1', [id]);
      await sql.run('UPDATE access_tokens SET revoked = $1 WHERE id = $2 AND revoked IS NULL', [at, id]);
      return found !== undefined;
    });
  }

  replace(oldId: string, next: TokenRecord, at: number): Promise<boolean> {
    return securityWrite(this.db, this.versions, 'tokens', async (sql) => {
      // Two refreshes racing with one refresh token (on any nodes): only the first finds it unrevoked.
      if ((await sql.run('UPDATE access_tokens SET revoked = $1 WHERE id = $2 AND revoked IS NULL', [at, oldId])) === 0) return false;
      await insertToken(sql, next);
      return true;
    });
  }
}
