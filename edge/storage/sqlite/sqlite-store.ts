import Database from 'better-sqlite3';
import type { Checksums } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { ancestorsOf } from '../../../protocol/paths.ts';
import { addPropertyValues, emptyProperties, type Properties } from '../../../protocol/wire/properties.ts';
import type {
  ItemRecord,
  ItemStore,
  JobLeases,
  MetadataStore,
  MetaStore,
  NewFile,
  PermissionTarget,
  PropertyStore,
  RemoteCacheStore,
  UpstreamMemory,
  RepoRecord,
  RepoStore,
  UserRecord,
  TokenStore,
  UserStore,
} from '../metadata.ts';
import { below, depthOf, ItemWrites } from './item-writes.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqliteBundles, STAGED_CONTENT_SQL } from './sqlite-bundles.ts';
import { GroupCommit } from './group-commit.ts';
import { immediateTransactions } from './immediate.ts';
import { SqliteLeases } from './sqlite-leases.ts';
import { SqliteRemoteCache } from './sqlite-remote-cache.ts';
import { SqliteTokens } from './sqlite-tokens.ts';
import { withWriteHook, type BeforeWrite } from './write-hook.ts';
import type { BundleStore } from '../bundles.ts';
import { SqliteUpstreamMemory } from './sqlite-upstream-memory.ts';
import { WriteVersion } from './write-version.ts';

type Db = Database.Database;

interface ItemRow {
  repo: string;
  path: string;
  parent: string;
  depth: number;
  folder: 0 | 1;
  size: number;
  sha256: string | null;
  sha1: string | null;
  md5: string | null;
  mime: string | null;
  created: number;
  created_by: string;
  modified: number;
  modified_by: string;
  updated: number;
}

function toItem(row: ItemRow): ItemRecord {
  return {
    repo: row.repo,
    path: row.path,
    folder: row.folder === 1,
    size: row.size,
    checksums: row.sha256 ? { sha256: row.sha256, sha1: row.sha1 ?? '', md5: row.md5 ?? '' } : null,
    mimeType: row.mime,
    created: row.created,
    createdBy: row.created_by,
    modified: row.modified,
    modifiedBy: row.modified_by,
    updated: row.updated,
  };
}

export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database schema (v${current}) is newer than this edgeproof (v${MIGRATIONS.length}).`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return MIGRATIONS.length;
}

export interface SqliteStoreOptions {
  /** Test seam only: runs before every write statement (see write-hook.ts). Absent: no wrapper at all. */
  beforeWrite?: BeforeWrite;
  /** The clock leases are taken by (ms). */
  now?: () => number;
}

export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): MetadataStore {
  const opened = immediateTransactions(new Database(file));
  const db = options.beforeWrite ? withWriteHook(opened, options.beforeWrite) : opened;
  db.pragma('journal_mode = WAL');
  // Durable once acknowledged: a committed row survives a crash and power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // EDGE-CLU-2: another worker's write is waited for (its commits take milliseconds), not failed.
  db.pragma('busy_timeout = 10000');
  migrate(db);
  return new SqliteStore(db, options.now ?? Date.now);
}

class SqliteStore implements MetadataStore {
  readonly meta: MetaStore;
  readonly repos: RepoStore;
  readonly items: SqliteItems;
  readonly properties: PropertyStore;
  readonly users: UserStore;
  readonly bundles: BundleStore;
  readonly tokens: TokenStore;
  readonly remoteCache: RemoteCacheStore;
  readonly upstreamMemory: UpstreamMemory;
  readonly leases: JobLeases;

  constructor(
    private readonly db: Db,
    now: () => number,
  ) {
    // EDGE-DUR-4: the writes of ingest (uploads, EDP files) share one group commit.
    const group = new GroupCommit(db);
    this.meta = new SqliteMeta(db);
    this.repos = new SqliteRepos(db);
    this.items = new SqliteItems(db, group);
    this.properties = new SqliteProperties(db);
    this.users = new SqliteUsers(db);
    this.bundles = new SqliteBundles(db, group);
    this.tokens = new SqliteTokens(db);
    this.remoteCache = new SqliteRemoteCache(db, (file) => this.items.putFileNow(file));
    this.upstreamMemory = new SqliteUpstreamMemory(db);
    this.leases = new SqliteLeases(db, now);
  }

  async referencedContent(): Promise<Set<string>> {
    const rows = this.db.prepare(`SELECT sha256 FROM items WHERE sha256 IS NOT NULL UNION ${STAGED_CONTENT_SQL}`).pluck().all() as string[];
    return new Set(rows);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

class SqliteMeta implements MetaStore {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<string | undefined> {
    return this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  async setIfAbsent(key: string, value: string): Promise<string> {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, value);
    return this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string;
  }

  async put(key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  async withPrefix(prefix: string): Promise<[string, string][]> {
    const rows = this.db.prepare('SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key').all(prefix.length, prefix) as {
      key: string;
      value: string;
    }[];
    return rows.map((row) => [row.key, row.value]);
  }
}

export interface RepoRow {
  key: string;
  rclass: RepoRecord['rclass'];
  package_type: string;
  config: string;
  created: number;
}

export const toRepo = (row: RepoRow): RepoRecord => ({
  key: row.key,
  rclass: row.rclass,
  packageType: row.package_type,
  config: JSON.parse(row.config) as Record<string, unknown>,
  created: row.created,
});

class SqliteRepos implements RepoStore {
  /** Prepared once: read on every request. */
  #get: Database.Statement | undefined;

  constructor(private readonly db: Db) {}

  async list(): Promise<RepoRecord[]> {
    return (this.db.prepare('SELECT * FROM repos ORDER BY key').all() as RepoRow[]).map(toRepo);
  }

  async get(key: string): Promise<RepoRecord | undefined> {
    const row = (this.#get ??= this.db.prepare('SELECT * FROM repos WHERE key = ?')).get(key) as RepoRow | undefined;
    return row && toRepo(row);
  }

  async create(repo: RepoRecord): Promise<void> {
    const result = this.db
      .prepare('INSERT INTO repos (key, rclass, package_type, config, created) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING')
      .run(repo.key, repo.rclass, repo.packageType, JSON.stringify(repo.config), repo.created);
    if (result.changes === 0) throw new EdgeError('REPO_EXISTS', `Repository ${repo.key} already exists`);
  }

  async update(repo: RepoRecord): Promise<void> {
    this.db
      .prepare('UPDATE repos SET rclass = ?, package_type = ?, config = ? WHERE key = ?')
      .run(repo.rclass, repo.packageType, JSON.stringify(repo.config), repo.key);
  }

  async delete(key: string): Promise<string[]> {
    return this.db.transaction(() => {
      const released = this.db.prepare('SELECT DISTINCT sha256 FROM items WHERE repo = ? AND sha256 IS NOT NULL').pluck().all(key) as string[];
      this.db.prepare('DELETE FROM repos WHERE key = ?').run(key);
      return released;
    })();
  }
}

class SqliteItems implements ItemStore {
  readonly #select;
  readonly #writes: ItemWrites;

  constructor(
    private readonly db: Db,
    private readonly group: GroupCommit,
  ) {
    this.#select = db.prepare('SELECT * FROM items WHERE repo = ? AND path = ?');
    this.#writes = new ItemWrites(db);
  }

  async get(repo: string, path: string): Promise<ItemRecord | undefined> {
    const row = this.#select.get(repo, path) as ItemRow | undefined;
    return row && toItem(row);
  }

  async children(repo: string, folder: string): Promise<ItemRecord[]> {
    const rows = this.db.prepare('SELECT * FROM items WHERE repo = ? AND parent = ? ORDER BY folder DESC, path').all(repo, folder) as ItemRow[];
    return rows.map(toItem);
  }

  async descendants(repo: string, folder: string, depth: number): Promise<ItemRecord[]> {
    const [from, to] = below(folder);
    const maxDepth = folder === '' ? depth : depthOf(folder) + depth;
    const rows = this.db
      .prepare('SELECT * FROM items WHERE repo = ? AND path >= ? AND path < ? AND depth <= ? ORDER BY path')
      .all(repo, from, to, Number.isFinite(maxDepth) ? maxDepth : Number.MAX_SAFE_INTEGER) as ItemRow[];
    return rows.map(toItem);
  }

  putFile(file: NewFile): Promise<{ replaced: ItemRecord | undefined }> {
    return this.group.run(() => this.putFileNow(file));
  }

  /** `putFile` for callers that already hold a transaction (a smart remote's cached file). */
  putFileNow(file: NewFile): { replaced: ItemRecord | undefined } {
    const existing = this.#select.get(file.repo, file.path) as ItemRow | undefined;
    this.#writes.file({ repo: file.repo, path: file.path, size: file.size, checksums: file.checksums, mime: file.mimeType, by: file.by, at: file.at });
    if (existing || Object.keys(file.properties).length > 0) this.#writes.replaceProperties(file.repo, file.path, file.properties);
    return { replaced: existing && toItem(existing) };
  }

  async putFolder(repo: string, path: string, by: string, at: number): Promise<boolean> {
    return this.db.transaction(() => this.#writes.folders(repo, [...ancestorsOf(path), path], by, at))();
  }

  async deleteItems(repo: string, paths: readonly string[]): Promise<string[]> {
    return this.db.transaction(() => {
      const rows = paths.map((path) => this.#select.get(repo, path) as ItemRow | undefined).filter((row) => row !== undefined);
      const released = new Set<string>();
      const remove = this.db.prepare('DELETE FROM items WHERE repo = ? AND path = ?');
      for (const row of rows) {
        if (row.folder === 1) continue;
        remove.run(repo, row.path);
        released.add(row.sha256 as string);
      }
      this.#removeEmptyFolders(repo, rows);
      return [...released];
    })();
  }

  async copyItems(
    from: { repo: string; path: string },
    to: { repo: string; path: string },
    paths: readonly string[],
    opts: { move: boolean; by: string; at: number },
  ): Promise<{ files: number; folders: number; released: string[] }> {
    return this.db.transaction(() => {
      const rows = [...paths]
        .sort()
        .map((path) => this.#select.get(from.repo, path) as ItemRow | undefined)
        .filter((row) => row !== undefined);
      if (rows[0]?.path !== from.path) throw new EdgeError('NOT_FOUND', `Could not find '${from.repo}/${from.path}'.`);
      // EDGE-AUTH-6: never a row at the repository root or at a path with a leading slash.
      if (to.path === '' || to.path.startsWith('/')) throw new EdgeError('BAD_PATH', `Invalid path: cannot copy onto '${to.repo}/${to.path}'.`);
      const copyProperties = this.db.prepare(
        'INSERT INTO properties (repo, path, key, value, seq) SELECT ?, ?, key, value, seq FROM properties WHERE repo = ? AND path = ?',
      );
      this.#writes.folders(to.repo, ancestorsOf(to.path), opts.by, opts.at);
      const released: string[] = [];
      let files = 0;
      let folders = 0;
      for (const row of rows) {
        const target = to.path + row.path.slice(from.path.length);
        const existing = this.#writes.existing(to.repo, target);
        if (existing && existing.folder !== (row.folder === 1)) {
          throw new EdgeError('ITEM_TYPE_CONFLICT', `Cannot copy onto '${to.repo}/${target}': a ${existing.folder ? 'folder' : 'file'} is there.`);
        }
        if (row.folder === 1) {
          this.#writes.folders(to.repo, [target], opts.by, opts.at);
          folders++;
          continue;
        }
        const replaced = this.#writes.file({
          repo: to.repo,
          path: target,
          size: row.size,
          checksums: { sha256: row.sha256 as string, sha1: row.sha1 ?? '', md5: row.md5 ?? '' },
          mime: row.mime,
          by: opts.by,
          at: opts.at,
        });
        if (replaced) released.push(replaced);
        this.#writes.replaceProperties(to.repo, target, {});
        copyProperties.run(to.repo, target, from.repo, row.path);
        files++;
      }
      if (opts.move) {
        const remove = this.db.prepare('DELETE FROM items WHERE repo = ? AND path = ?');
        for (const row of rows) if (row.folder === 0) remove.run(from.repo, row.path);
        this.#removeEmptyFolders(from.repo, rows);
      }
      return { files, folders, released };
    })();
  }

  /** Deepest first, so a folder emptied by removing its empty sub-folders goes too. */
  #removeEmptyFolders(repo: string, rows: readonly ItemRow[]): void {
    const removeIfEmpty = this.db.prepare('DELETE FROM items WHERE repo = ? AND path = ? AND NOT EXISTS (SELECT 1 FROM items WHERE repo = ? AND parent = ?)');
    const folders = rows.filter((row) => row.folder === 1).sort((a, b) => b.depth - a.depth);
    for (const folder of folders) removeIfEmpty.run(repo, folder.path, repo, folder.path);
  }

  async referencesTo(sha256: string): Promise<number> {
    const staged = this.db.prepare(`SELECT count(*) FROM (${STAGED_CONTENT_SQL} AND f.sha256 = ?)`).pluck().get(sha256) as number;
    return (this.db.prepare('SELECT count(*) FROM items WHERE sha256 = ?').pluck().get(sha256) as number) + staged;
  }

  async withChecksum(algorithm: keyof Checksums, hex: string, repos: readonly string[]): Promise<ItemRecord[]> {
    if (repos.length === 0) return [];
    const column = { sha256: 'sha256', sha1: 'sha1', md5: 'md5' }[algorithm];
    const rows = this.db
      .prepare(`SELECT * FROM items WHERE ${column} = ? AND repo IN (SELECT value FROM json_each(?)) ORDER BY repo, path`)
      .all(hex, JSON.stringify(repos)) as ItemRow[];
    return rows.map(toItem);
  }
}

class SqliteProperties implements PropertyStore {
  readonly #writes: ItemWrites;

  constructor(private readonly db: Db) {
    this.#writes = new ItemWrites(db);
  }

  async get(repo: string, path: string): Promise<Properties> {
    const rows = this.db.prepare('SELECT key, value FROM properties WHERE repo = ? AND path = ? ORDER BY key, seq').all(repo, path) as {
      key: string;
      value: string;
    }[];
    // EDGE-IN-7: a key such as `constructor` or `__proto__` is an own key like any other.
    const properties = emptyProperties();
    for (const { key, value } of rows) addPropertyValues(properties, key, [value]);
    return properties;
  }

  async patch(repo: string, paths: readonly string[], patch: Record<string, string[] | null>): Promise<void> {
    this.db.transaction(() => {
      const remove = this.db.prepare('DELETE FROM properties WHERE repo = ? AND path = ? AND key = ?');
      for (const target of paths) {
        for (const [key, values] of Object.entries(patch)) {
          remove.run(repo, target, key);
          if (values) this.#writes.addProperties(repo, target, { [key]: values });
        }
      }
    })();
  }
}

interface UserRow {
  name: string;
  email: string;
  password_hash: string;
  admin: 0 | 1;
  groups: string;
  created: number;
}

const toUser = (row: UserRow): UserRecord => ({
  name: row.name,
  email: row.email,
  passwordHash: row.password_hash,
  admin: row.admin === 1,
  groups: JSON.parse(row.groups) as string[],
  created: row.created,
});

class SqliteUsers implements UserStore {
  /** Prepared once: read on every request with credentials. */
  #get: Database.Statement | undefined;
  readonly #version: WriteVersion;

  constructor(private readonly db: Db) {
    this.#version = new WriteVersion(db, 'users');
  }

  version(): number {
    return this.#version.value;
  }

  /** `version()` reads the shared row on each call (EDGE-AUTH-11): nothing to confirm. */
  async confirmVersion(): Promise<void> {}

  async list(): Promise<UserRecord[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
  }

  async get(name: string): Promise<UserRecord | undefined> {
    const row = (this.#get ??= this.db.prepare('SELECT * FROM users WHERE name = ?')).get(name) as UserRow | undefined;
    return row && toUser(row);
  }

  async put(user: UserRecord): Promise<void> {
    this.#version.around(() =>
      this.db
        .prepare(
          `INSERT INTO users (name, email, password_hash, admin, groups, created) VALUES (@name, @email, @passwordHash, @admin, @groups, @created)
         ON CONFLICT (name) DO UPDATE SET email = @email, password_hash = @passwordHash, admin = @admin, groups = @groups`,
        )
        .run({ ...user, admin: user.admin ? 1 : 0, groups: JSON.stringify(user.groups) }),
    );
  }

  async delete(name: string): Promise<boolean> {
    return this.#version.around(() => this.db.prepare('DELETE FROM users WHERE name = ?').run(name).changes > 0);
  }

  async permissions(): Promise<PermissionTarget[]> {
    return (this.db.prepare('SELECT body FROM permissions ORDER BY name').pluck().all() as string[]).map((body) => JSON.parse(body) as PermissionTarget);
  }

  async getPermission(name: string): Promise<PermissionTarget | undefined> {
    const body = this.db.prepare('SELECT body FROM permissions WHERE name = ?').pluck().get(name) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as PermissionTarget);
  }

  async putPermission(target: PermissionTarget): Promise<void> {
    this.#version.around(() =>
      this.db
        .prepare('INSERT INTO permissions (name, body) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body')
        .run(target.name, JSON.stringify(target)),
    );
  }

  async deletePermission(name: string): Promise<boolean> {
    return this.#version.around(() => this.db.prepare('DELETE FROM permissions WHERE name = ?').run(name).changes > 0);
  }
}
