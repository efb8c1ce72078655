import type pg from 'pg';
import { PG_UPSTREAM_MEMORY_MIGRATION } from './pg-upstream-memory.ts';

/**
 * Versioned schema of the PostgreSQL store: entry i moves the database from version i to i+1;
 * entries are never edited once released, only appended. The tables are SQLite's (sqlite/
 * migrations.ts) with PostgreSQL's types: BIGINT times and sizes, BOOLEAN flags, and text keys
 * in the "C" collation so that ordering and key ranges are byte order, as SQLite's are
 * (EDGE-PG-5), whatever collation the database was created with.
 */
export const PG_MIGRATIONS: readonly string[] = [
  /* 1: the schema of SQLite's migrations 1-6 */ `
  CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE repos (
    key          TEXT COLLATE "C" PRIMARY KEY,
    rclass       TEXT NOT NULL CHECK (rclass IN ('local', 'remote', 'virtual')),
    package_type TEXT NOT NULL,
    config       TEXT NOT NULL,
    created      BIGINT NOT NULL
  );

  CREATE TABLE items (
    repo        TEXT COLLATE "C" NOT NULL REFERENCES repos(key) ON DELETE CASCADE,
    path        TEXT COLLATE "C" NOT NULL,
    parent      TEXT COLLATE "C" NOT NULL,
    depth       INTEGER NOT NULL,
    folder      BOOLEAN NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT,
    sha1        TEXT,
    md5         TEXT,
    mime        TEXT,
    created     BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    modified    BIGINT NOT NULL,
    modified_by TEXT NOT NULL,
    updated     BIGINT NOT NULL,
    PRIMARY KEY (repo, path),
    CHECK (folder = (sha256 IS NULL))
  );
  CREATE INDEX items_by_parent ON items (repo, parent);
  CREATE INDEX items_by_sha256 ON items (sha256) WHERE sha256 IS NOT NULL;
  CREATE INDEX items_by_sha1 ON items (sha1) WHERE sha1 IS NOT NULL;
  CREATE INDEX items_by_md5 ON items (md5) WHERE md5 IS NOT NULL;

  CREATE TABLE properties (
    repo  TEXT COLLATE "C" NOT NULL,
    path  TEXT COLLATE "C" NOT NULL,
    key   TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    seq   INTEGER NOT NULL,
    FOREIGN KEY (repo, path) REFERENCES items (repo, path) ON DELETE CASCADE ON UPDATE CASCADE
  );
  -- SQLite's primary key (repo, path, key, value), with the key and value hashed: a B-tree entry
  -- holds at most 2704 bytes, and a property value may be far longer.
  CREATE UNIQUE INDEX properties_unique ON properties (repo, path, md5(key), md5(value));

  CREATE TABLE users (
    name          TEXT COLLATE "C" PRIMARY KEY,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    admin         BOOLEAN NOT NULL,
    groups        TEXT NOT NULL,
    created       BIGINT NOT NULL
  );

  CREATE TABLE permissions (
    name TEXT COLLATE "C" PRIMARY KEY,
    body TEXT NOT NULL
  );

  CREATE TABLE trusted_keys (
    kid         TEXT PRIMARY KEY,
    alias       TEXT COLLATE "C" NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL UNIQUE,
    public_key  TEXT NOT NULL,
    algorithm   TEXT NOT NULL,
    bits        INTEGER NOT NULL,
    issued      BIGINT NOT NULL,
    issued_by   TEXT NOT NULL,
    expiry      BIGINT NOT NULL,
    added       BIGINT NOT NULL
  );

  CREATE TABLE edp_transactions (
    id             TEXT COLLATE "C" PRIMARY KEY,
    name           TEXT COLLATE "C" NOT NULL,
    version        TEXT COLLATE "C" NOT NULL,
    payload_sha256 TEXT NOT NULL,
    jws            TEXT NOT NULL,
    kid            TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('OPEN', 'COMMITTED', 'ABORTED', 'EXPIRED')),
    created        BIGINT NOT NULL,
    last_activity  BIGINT NOT NULL,
    closed         BIGINT,
    created_by     TEXT NOT NULL
  );
  CREATE INDEX edp_transactions_by_bundle ON edp_transactions (name, version, state);
  CREATE INDEX edp_transactions_by_state ON edp_transactions (state, last_activity);
  -- EDGE-PG-3: one OPEN transaction per bundle name/version, whichever node starts it.
  CREATE UNIQUE INDEX edp_transactions_one_open ON edp_transactions (name, version) WHERE state = 'OPEN';

  CREATE TABLE edp_transaction_files (
    tx_id     TEXT COLLATE "C" NOT NULL REFERENCES edp_transactions (id) ON DELETE CASCADE,
    repo_path TEXT COLLATE "C" NOT NULL,
    repo      TEXT COLLATE "C" NOT NULL,
    path      TEXT COLLATE "C" NOT NULL,
    sha256    TEXT NOT NULL,
    sha1      TEXT,
    md5       TEXT,
    size      BIGINT NOT NULL,
    props     TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('MISSING', 'PRESENT')),
    position  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tx_id, repo_path)
  );
  CREATE INDEX edp_transaction_files_by_sha256 ON edp_transaction_files (sha256);

  CREATE TABLE bundles (
    name           TEXT COLLATE "C" NOT NULL,
    version        TEXT COLLATE "C" NOT NULL,
    payload_sha256 TEXT NOT NULL,
    jws            TEXT NOT NULL,
    kid            TEXT NOT NULL,
    tx_id          TEXT NOT NULL,
    created        TEXT NOT NULL,
    committed      BIGINT NOT NULL,
    total_size     BIGINT NOT NULL,
    PRIMARY KEY (name, version)
  );

  CREATE TABLE bundle_files (
    name    TEXT COLLATE "C" NOT NULL,
    version TEXT COLLATE "C" NOT NULL,
    repo    TEXT COLLATE "C" NOT NULL,
    path    TEXT COLLATE "C" NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (name, version, repo, path),
    FOREIGN KEY (name, version) REFERENCES bundles (name, version) ON DELETE CASCADE
  );
  CREATE INDEX bundle_files_by_path ON bundle_files (repo, path);

  CREATE TABLE access_tokens (
    id           TEXT COLLATE "C" PRIMARY KEY,
    subject      TEXT NOT NULL,
    scope        TEXT NOT NULL,
    audience     TEXT NOT NULL,
    description  TEXT NOT NULL,
    issued       BIGINT NOT NULL,
    expiry       BIGINT NOT NULL,
    refresh_hash TEXT UNIQUE,
    revoked      BIGINT
  );

  CREATE TABLE remote_origins (
    repo          TEXT COLLATE "C" NOT NULL,
    path          TEXT COLLATE "C" NOT NULL,
    remote_url    TEXT NOT NULL,
    checked       BIGINT NOT NULL,
    origin_absent BOOLEAN NOT NULL,
    PRIMARY KEY (repo, path),
    FOREIGN KEY (repo, path) REFERENCES items (repo, path) ON DELETE CASCADE ON UPDATE CASCADE
  );

  CREATE TABLE leases (
    job    TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  BIGINT NOT NULL
  );

  -- EDGE-AUTH-11: bumped in the transaction of each write to a family, read on (re)connect.
  CREATE TABLE security_versions (
    family  TEXT PRIMARY KEY,
    version BIGINT NOT NULL
  );
  INSERT INTO security_versions (family, version) VALUES ('users', 0), ('tokens', 0);
  `,
  /* 2: smart-remote memory shared by every node (EDGE-HA-5) */ PG_UPSTREAM_MEMORY_MIGRATION,
];

/** Any fixed number: the advisory lock under which nodes migrate one at a time. */
const MIGRATION_LOCK = 0x65646765; // 'edge'

/**
 * EDGE-PG-2: applies the missing migrations in one transaction under a transaction-scoped
 * advisory lock, so two nodes starting together migrate once: the second waits, then finds
 * the schema current. A schema newer than this code refuses, as SQLite's does.
 */
export async function migratePg(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS edgeproof_schema (version INTEGER NOT NULL)');
    const rows = (await client.query<{ version: number }>('SELECT version FROM edgeproof_schema')).rows;
    const current = rows[0]?.version ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new Error(`The database schema (v${current}) is newer than this edgeproof (v${PG_MIGRATIONS.length}).`);
    }
    for (let version = current; version < PG_MIGRATIONS.length; version++) await client.query(PG_MIGRATIONS[version] as string);
    if (rows.length === 0) await client.query('INSERT INTO edgeproof_schema (version) VALUES ($1)', [PG_MIGRATIONS.length]);
    else await client.query('UPDATE edgeproof_schema SET version = $1', [PG_MIGRATIONS.length]);
    await client.query('COMMIT');
    return PG_MIGRATIONS.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
