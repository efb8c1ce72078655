import { BUNDLES_MIGRATION, TX_FILE_ORDER_MIGRATION, TX_JWS_MIGRATION } from './sqlite-bundles.ts';
import { LEASES_MIGRATION } from './sqlite-leases.ts';
import { REMOTE_ORIGINS_MIGRATION } from './sqlite-remote-cache.ts';
import { TOKENS_MIGRATION } from './sqlite-tokens.ts';
import { UPSTREAM_MEMORY_MIGRATION } from './sqlite-upstream-memory.ts';
import { WRITE_VERSIONS_MIGRATION } from './write-version.ts';

/**
 * Versioned schema. Each entry moves the database from version i to i+1 (PRAGMA user_version);
 * entries are never edited once released, only appended.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: core Edge metadata */ `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE repos (
    key          TEXT PRIMARY KEY,
    rclass       TEXT NOT NULL CHECK (rclass IN ('local', 'remote', 'virtual')),
    package_type TEXT NOT NULL,
    config       TEXT NOT NULL,
    created      INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE items (
    repo        TEXT NOT NULL REFERENCES repos(key) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    parent      TEXT NOT NULL,
    depth       INTEGER NOT NULL,
    folder      INTEGER NOT NULL CHECK (folder IN (0, 1)),
    size        INTEGER NOT NULL,
    sha256      TEXT,
    sha1        TEXT,
    md5         TEXT,
    mime        TEXT,
    created     INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    modified    INTEGER NOT NULL,
    modified_by TEXT NOT NULL,
    updated     INTEGER NOT NULL,
    PRIMARY KEY (repo, path),
    CHECK ((folder = 1) = (sha256 IS NULL))
  ) WITHOUT ROWID;
  CREATE INDEX items_by_parent ON items (repo, parent);
  CREATE INDEX items_by_sha256 ON items (sha256) WHERE sha256 IS NOT NULL;
  CREATE INDEX items_by_sha1 ON items (sha1) WHERE sha1 IS NOT NULL;
  CREATE INDEX items_by_md5 ON items (md5) WHERE md5 IS NOT NULL;

  CREATE TABLE properties (
    repo  TEXT NOT NULL,
    path  TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    PRIMARY KEY (repo, path, key, value),
    FOREIGN KEY (repo, path) REFERENCES items (repo, path) ON DELETE CASCADE ON UPDATE CASCADE
  ) WITHOUT ROWID;

  CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    admin         INTEGER NOT NULL CHECK (admin IN (0, 1)),
    groups        TEXT NOT NULL,
    created       INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE permissions (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  /* 2: Edge Distribution Protocol: trusted signing keys, transactions, bundles */ BUNDLES_MIGRATION,
  /* 3: circle of trust: access tokens this Edge issued */ TOKENS_MIGRATION,
  /* 4: transaction files in bundle order (EDP-TX-3) */ TX_FILE_ORDER_MIGRATION,
  /* 5: smart remote repositories: where cached files came from (EDGE-SR-12, EDGE-SR-15) */ REMOTE_ORIGINS_MIGRATION,
  /* 6: housekeeping run by one process at a time (EDGE-OPS-8) */ LEASES_MIGRATION,
  /* 7: a transaction's signed bundle in its own table (per-file cost, issue #13) */ TX_JWS_MIGRATION,
  /* 8: security versions shared by every process (EDGE-AUTH-11) */ WRITE_VERSIONS_MIGRATION,
  /* 9: smart-remote memory shared by every process (EDGE-HA-5) */ UPSTREAM_MEMORY_MIGRATION,
];
