import { EdgeError } from '../../../protocol/errors.ts';
import { StartupRefusal } from '../../startup/refusal.ts';
import type { BundleStore } from '../bundles.ts';
import type { MetadataStore, MetaStore, RepoRecord, RepoStore } from '../metadata.ts';
import { toRepo, type RepoRow } from '../sqlite/sqlite-store.ts';
import type { BeforeWrite } from '../sqlite/write-hook.ts';
import { describeDatabase } from './database-label.ts';
import { PgBundles } from './pg-bundles.ts';
import { PgDb } from './pg-db.ts';
import { PgItems, PgProperties, PG_STAGED_CONTENT_SQL } from './pg-items.ts';
import { PgLeases } from './pg-leases.ts';
import { migratePg } from './pg-migrations.ts';
import { PgUpstreamMemory } from './pg-upstream-memory.ts';
import { PgRemoteCache } from './pg-remote-cache.ts';
import { SecurityVersions } from './pg-security-version.ts';
import { PgTokens, PgUsers } from './pg-users.ts';

export interface PostgresStoreOptions {
  /** Connections of the pool (the LISTEN connection of EDGE-AUTH-11 comes on top). */
  poolSize?: number;
  /** Test seam only: runs before every write statement, as SQLite's (write-hook.ts). */
  beforeWrite?: BeforeWrite | undefined;
  /** The clock leases are taken by (ms). */
  now?: () => number;
}

/**
 * EDGE-PG-1: opens (and migrates) the metadata store in a PostgreSQL database. A database that
 * cannot be reached or refuses the login refuses the start in one line naming the host, never
 * the password (EDGE-OPS-2).
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<MetadataStore> {
  const db = new PgDb(url, options.poolSize ?? 10, options.beforeWrite);
  const versions = new SecurityVersions(url);
  try {
    await migratePg(db.pool);
    await versions.start();
  } catch (error) {
    await versions.close();
    await db.close().catch(() => undefined);
    const password = safePassword(url);
    const reason = ((error as Error).message || String(error)).split('\n')[0] as string;
    throw new StartupRefusal(`cannot use the PostgreSQL database at ${describeDatabase(url)}: ${password ? reason.replaceAll(password, '***') : reason}`);
  }
  return new PostgresStore(db, versions, options.now ?? Date.now);
}

function safePassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

class PostgresStore implements MetadataStore {
  readonly meta: MetaStore;
  readonly repos: RepoStore;
  readonly items: PgItems;
  readonly properties: PgProperties;
  readonly users: PgUsers;
  readonly bundles: BundleStore;
  readonly tokens: PgTokens;
  readonly remoteCache: PgRemoteCache;
  readonly upstreamMemory: PgUpstreamMemory;
  readonly leases: PgLeases;

  constructor(
    private readonly db: PgDb,
    private readonly versions: SecurityVersions,
    now: () => number,
  ) {
    this.meta = new PgMeta(db);
    this.repos = new PgRepos(db);
    this.items = new PgItems(db);
    this.properties = new PgProperties(db);
    this.users = new PgUsers(db, versions);
    this.bundles = new PgBundles(db);
    this.tokens = new PgTokens(db, versions);
    this.remoteCache = new PgRemoteCache(db);
    this.upstreamMemory = new PgUpstreamMemory(db);
    this.leases = new PgLeases(db, now);
  }

  referencedContent(): Promise<Set<string>> {
    return this.db.read(
      async (sql) =>
        new Set(
          (await sql.query<{ sha256: string }>(`SELECT sha256 FROM items WHERE sha256 IS NOT NULL UNION ${PG_STAGED_CONTENT_SQL}`)).map((row) => row.sha256),
        ),
    );
  }

  #closed = false;

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.leases.closing();
    await this.versions.close();
    await this.db.close();
  }
}

class PgMeta implements MetaStore {
  constructor(private readonly db: PgDb) {}

  get(key: string): Promise<string | undefined> {
    return this.db.read(async (sql) => (await sql.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))[0]?.value);
  }

  setIfAbsent(key: string, value: string): Promise<string> {
    // READ COMMITTED: a node inserting the same key at once makes this insert wait, then do nothing; the read then sees its value.
    return this.db.write(async (sql) => {
      await sql.run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
      return (await sql.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))[0]?.value as string;
    }, 'READ COMMITTED');
  }

  put(key: string, value: string): Promise<void> {
    return this.db.write(
      (sql) =>
        sql.run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]).then(() => undefined),
      'READ COMMITTED',
    );
  }

  withPrefix(prefix: string): Promise<[string, string][]> {
    return this.db.read(async (sql) =>
      (await sql.query<{ key: string; value: string }>('SELECT key, value FROM meta WHERE left(key, $1) = $2 ORDER BY key', [prefix.length, prefix])).map(
        (row): [string, string] => [row.key, row.value],
      ),
    );
  }
}

class PgRepos implements RepoStore {
  constructor(private readonly db: PgDb) {}

  list(): Promise<RepoRecord[]> {
    return this.db.read(async (sql) => (await sql.query<RepoRow>('SELECT * FROM repos ORDER BY key')).map(toRepo));
  }

  get(key: string): Promise<RepoRecord | undefined> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<RepoRow>('SELECT * FROM repos WHERE key = $1', [key]);
      return row && toRepo(row);
    });
  }

  async create(repo: RepoRecord): Promise<void> {
    const created = await this.db.write(
      (sql) =>
        sql.run('INSERT INTO repos (key, rclass, package_type, config, created) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING', [
          repo.key,
          repo.rclass,
          repo.packageType,
          JSON.stringify(repo.config),
          repo.created,
        ]),
      'READ COMMITTED',
    );
    if (created === 0) throw new EdgeError('REPO_EXISTS', `Repository ${repo.key} already exists`);
  }

  async update(repo: RepoRecord): Promise<void> {
    await this.db.write((sql) =>
      sql.run('UPDATE repos SET rclass = $1, package_type = $2, config = $3 WHERE key = $4', [
        repo.rclass,
        repo.packageType,
        JSON.stringify(repo.config),
        repo.key,
      ]),
    );
  }

  delete(key: string): Promise<string[]> {
    return this.db.write(async (sql) => {
      const released = await sql.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM items WHERE repo = $1 AND sha256 IS NOT NULL', [key]);
      await sql.run('DELETE FROM repos WHERE key = $1', [key]);
      return released.map((row) => row.sha256);
    });
  }
}
