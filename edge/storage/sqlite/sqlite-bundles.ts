import type Database from 'better-sqlite3';
import type { Checksums } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { ancestorsOf } from '../../../protocol/paths.ts';
import {
  requireOpen,
  type BundleRecord,
  type BundleStore,
  type PathSeen,
  type PathState,
  type PublicationPlan,
  type TransactionHead,
  type TransactionRecord,
  type TrustedKeyRecord,
  type TxFile,
  type TxState,
} from '../bundles.ts';
import type { GroupCommit } from './group-commit.ts';
import { ItemWrites } from './item-writes.ts';
import { preparedOnce } from './prepared.ts';

type Db = Database.Database;

export const BUNDLES_MIGRATION = `
  CREATE TABLE trusted_keys (
    kid         TEXT PRIMARY KEY,
    alias       TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL UNIQUE,
    public_key  TEXT NOT NULL,
    algorithm   TEXT NOT NULL,
    bits        INTEGER NOT NULL,
    issued      INTEGER NOT NULL,
    issued_by   TEXT NOT NULL,
    expiry      INTEGER NOT NULL,
    added       INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE edp_transactions (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    version        TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    jws            TEXT NOT NULL,
    kid            TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('OPEN', 'COMMITTED', 'ABORTED', 'EXPIRED')),
    created        INTEGER NOT NULL,
    last_activity  INTEGER NOT NULL,
    closed         INTEGER,
    created_by     TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX edp_transactions_by_bundle ON edp_transactions (name, version, state);
  CREATE INDEX edp_transactions_by_state ON edp_transactions (state, last_activity);

  CREATE TABLE edp_transaction_files (
    tx_id     TEXT NOT NULL REFERENCES edp_transactions (id) ON DELETE CASCADE,
    repo_path TEXT NOT NULL,
    repo      TEXT NOT NULL,
    path      TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    sha1      TEXT,
    md5       TEXT,
    size      INTEGER NOT NULL,
    props     TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('MISSING', 'PRESENT')),
    PRIMARY KEY (tx_id, repo_path)
  ) WITHOUT ROWID;
  CREATE INDEX edp_transaction_files_by_sha256 ON edp_transaction_files (sha256);

  CREATE TABLE bundles (
    name           TEXT NOT NULL,
    version        TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    jws            TEXT NOT NULL,
    kid            TEXT NOT NULL,
    tx_id          TEXT NOT NULL,
    created        TEXT NOT NULL,
    committed      INTEGER NOT NULL,
    total_size     INTEGER NOT NULL,
    PRIMARY KEY (name, version)
  ) WITHOUT ROWID;

  CREATE TABLE bundle_files (
    name    TEXT NOT NULL,
    version TEXT NOT NULL,
    repo    TEXT NOT NULL,
    path    TEXT NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (name, version, repo, path),
    FOREIGN KEY (name, version) REFERENCES bundles (name, version) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX bundle_files_by_path ON bundle_files (repo, path);
`;

/**
 * EDP-TX-3: a transaction lists its files in bundle order, which the primary key (repo_path)
 * does not keep. Files of transactions created before this column read as position 0, i.e. in
 * path order, as they always did.
 */
export const TX_FILE_ORDER_MIGRATION = `
  ALTER TABLE edp_transaction_files ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
`;

/**
 * Issue #13: the signed bundle moves out of the transaction's row. Every file of a 2,000-file
 * bundle updates its transaction's last activity and reads its state; with the JWS in the row,
 * each of those rewrote (and walked the overflow pages of) the whole signed bundle, so ingest
 * cost grew with the square of the bundle's size.
 */
export const TX_JWS_MIGRATION = `
  CREATE TABLE edp_transaction_jws (
    tx_id TEXT PRIMARY KEY REFERENCES edp_transactions (id) ON DELETE CASCADE,
    jws   TEXT NOT NULL
  );
  INSERT INTO edp_transaction_jws (tx_id, jws) SELECT id, jws FROM edp_transactions;
  ALTER TABLE edp_transactions DROP COLUMN jws;
`;

/** A transaction's row with its JWS. */
const TX_SELECT = 'SELECT t.*, j.jws FROM edp_transactions t JOIN edp_transaction_jws j ON j.tx_id = t.id';

/** Content staged by OPEN transactions counts as referenced, so it is never reclaimed under them. */
export const STAGED_CONTENT_SQL = `
  SELECT f.sha256 FROM edp_transaction_files f JOIN edp_transactions t ON t.id = f.tx_id
  WHERE f.state = 'PRESENT' AND t.state = 'OPEN'`;

export interface TxRow {
  id: string;
  name: string;
  version: string;
  payload_sha256: string;
  jws: string;
  kid: string;
  state: TxState;
  created: number;
  last_activity: number;
  closed: number | null;
  created_by: string;
}

export interface TxFileRow {
  repo_path: string;
  repo: string;
  path: string;
  sha256: string;
  sha1: string | null;
  md5: string | null;
  size: number;
  props: string;
  state: TxFile['state'];
}

export interface BundleRow {
  name: string;
  version: string;
  payload_sha256: string;
  jws: string;
  kid: string;
  tx_id: string;
  created: string;
  committed: number;
  total_size: number;
}

export const toFile = (row: TxFileRow): TxFile => ({
  repoPath: row.repo_path,
  repo: row.repo,
  path: row.path,
  sha256: row.sha256,
  size: row.size,
  props: JSON.parse(row.props) as TxFile['props'],
  state: row.state,
  checksums: row.sha1 && row.md5 ? { sha256: row.sha256, sha1: row.sha1, md5: row.md5 } : null,
});

/** What the publication rules see at a path: a file by its content, anything else as a folder (as `samePathState` compares it). */
export const toPathState = (now: { folder: boolean; sha256: string | null } | undefined): PathState =>
  now && (now.folder || !now.sha256 ? { folder: true } : { folder: false, sha256: now.sha256 });

export function samePathState(now: { folder: boolean; sha256: string | null } | undefined, seen: PathState): boolean {
  if (!now || !seen) return now === seen;
  return seen.folder ? now.folder : !now.folder && now.sha256 === seen.sha256;
}

export const toHead = (row: Omit<TxRow, 'jws'>): TransactionHead => ({
  id: row.id,
  name: row.name,
  version: row.version,
  payloadSha256: row.payload_sha256,
  kid: row.kid,
  state: row.state,
  created: row.created,
  lastActivity: row.last_activity,
  closed: row.closed,
  by: row.created_by,
});

export const toBundle = (row: BundleRow): BundleRecord => ({
  name: row.name,
  version: row.version,
  payloadSha256: row.payload_sha256,
  jws: row.jws,
  kid: row.kid,
  txId: row.tx_id,
  created: row.created,
  committed: row.committed,
  totalSize: row.total_size,
});

export interface KeyRow {
  kid: string;
  alias: string;
  fingerprint: string;
  public_key: string;
  algorithm: string;
  bits: number;
  issued: number;
  issued_by: string;
  expiry: number;
  added: number;
}

export const toKey = (row: KeyRow): TrustedKeyRecord => ({
  kid: row.kid,
  alias: row.alias,
  fingerprint: row.fingerprint,
  publicKey: row.public_key,
  algorithm: row.algorithm,
  bits: row.bits,
  issued: row.issued,
  issuedBy: row.issued_by,
  expiry: row.expiry,
  added: row.added,
});

export class SqliteBundles implements BundleStore {
  readonly #writes: ItemWrites;
  readonly #statement: (sql: string) => Database.Statement;

  constructor(
    private readonly db: Db,
    private readonly group: GroupCommit,
  ) {
    this.#writes = new ItemWrites(db);
    this.#statement = preparedOnce(db);
  }

  async keys(): Promise<TrustedKeyRecord[]> {
    return (this.db.prepare('SELECT * FROM trusted_keys ORDER BY alias').all() as KeyRow[]).map(toKey);
  }

  async key(kid: string): Promise<TrustedKeyRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM trusted_keys WHERE kid = ?').get(kid) as KeyRow | undefined;
    return row && toKey(row);
  }

  /** EDP-KEY-5: one alias, one key. */
  async addKey(key: TrustedKeyRecord): Promise<void> {
    const clash = this.db
      .prepare('SELECT alias, kid FROM trusted_keys WHERE alias = ? OR kid = ? OR fingerprint = ?')
      .get(key.alias, key.kid, key.fingerprint) as { alias: string; kid: string } | undefined;
    if (clash) {
      throw new EdgeError(
        'KEY_DUPLICATE',
        clash.alias === key.alias
          ? `A trusted key with alias '${key.alias}' already exists.`
          : `This key is already trusted as '${clash.alias}' (kid ${clash.kid}).`,
      );
    }
    this.db
      .prepare(
        `INSERT INTO trusted_keys (kid, alias, fingerprint, public_key, algorithm, bits, issued, issued_by, expiry, added)
         VALUES (@kid, @alias, @fingerprint, @publicKey, @algorithm, @bits, @issued, @issuedBy, @expiry, @added)`,
      )
      .run(key);
  }

  async removeKey(kid: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM trusted_keys WHERE kid = ?').run(kid).changes > 0;
  }

  async createTransaction(tx: TransactionRecord): Promise<string> {
    return this.db.transaction(() => {
      const open = this.db
        .prepare(`SELECT id FROM edp_transactions WHERE name = ? AND version = ? AND state = 'OPEN' LIMIT 1`)
        .pluck()
        .get(tx.name, tx.version) as string | undefined;
      if (open) return open;
      this.db
        .prepare(
          `INSERT INTO edp_transactions (id, name, version, payload_sha256, kid, state, created, last_activity, closed, created_by)
           VALUES (@id, @name, @version, @payloadSha256, @kid, @state, @created, @lastActivity, @closed, @by)`,
        )
        .run({ ...tx, files: undefined, jws: undefined });
      this.db.prepare('INSERT INTO edp_transaction_jws (tx_id, jws) VALUES (?, ?)').run(tx.id, tx.jws);
      const insert = this.db.prepare(
        `INSERT INTO edp_transaction_files (tx_id, repo_path, repo, path, sha256, size, props, state, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'MISSING', ?)`,
      );
      for (const [position, f] of tx.files.entries()) insert.run(tx.id, f.repoPath, f.repo, f.path, f.sha256, f.size, JSON.stringify(f.props), position);
      return tx.id;
    })();
  }

  #tx(id: string): TransactionRecord | undefined {
    const row = this.db.prepare(`${TX_SELECT} WHERE t.id = ?`).get(id) as TxRow | undefined;
    return row && this.#withFiles(row);
  }

  #withFiles(row: TxRow): TransactionRecord {
    const files = (this.db.prepare('SELECT * FROM edp_transaction_files WHERE tx_id = ? ORDER BY position, repo_path').all(row.id) as TxFileRow[]).map(toFile);
    return { ...toHead(row), jws: row.jws, files };
  }

  async transaction(id: string): Promise<TransactionRecord | undefined> {
    return this.#tx(id);
  }

  async transactionHead(id: string): Promise<TransactionHead | undefined> {
    const row = this.#statement('SELECT * FROM edp_transactions WHERE id = ?').get(id) as Omit<TxRow, 'jws'> | undefined;
    return row && toHead(row);
  }

  async fileOf(txId: string, repoPath: string): Promise<{ head: TransactionHead; file: TxFile | undefined } | undefined> {
    const head = await this.transactionHead(txId);
    if (!head) return undefined;
    const row = this.#statement('SELECT * FROM edp_transaction_files WHERE tx_id = ? AND repo_path = ?').get(txId, repoPath) as TxFileRow | undefined;
    return { head, file: row && toFile(row) };
  }

  async transactionsOf(name: string, version: string, states: TxState[]): Promise<TransactionRecord[]> {
    const rows = this.db
      .prepare(`${TX_SELECT} WHERE t.name = ? AND t.version = ? AND t.state IN (SELECT value FROM json_each(?)) ORDER BY t.created DESC, t.id DESC`)
      .all(name, version, JSON.stringify(states)) as TxRow[];
    return rows.map((row) => this.#withFiles(row));
  }

  async transactions(state?: TxState): Promise<TransactionRecord[]> {
    const rows = (
      state
        ? this.db.prepare(`${TX_SELECT} WHERE t.state = ? ORDER BY t.created, t.id`).all(state)
        : this.db.prepare(`${TX_SELECT} ORDER BY t.created, t.id`).all()
    ) as TxRow[];
    return rows.map((row) => this.#withFiles(row));
  }

  /** SHA-1 and MD5 of content the Edge already holds, from any row that knows them. */
  async checksumsOf(sha256: string): Promise<Checksums | undefined> {
    const row = (this.#statement('SELECT sha1, md5 FROM items WHERE sha256 = ? LIMIT 1').get(sha256) ??
      this.#statement('SELECT sha1, md5 FROM edp_transaction_files WHERE sha256 = ? AND sha1 IS NOT NULL LIMIT 1').get(sha256)) as
      | { sha1: string; md5: string }
      | undefined;
    return row && { sha256, sha1: row.sha1, md5: row.md5 };
  }

  markPresent(txId: string, repoPath: string, at: number, checksums: Checksums): Promise<TxFile> {
    return this.group.run(() => {
      this.#open(txId);
      this.#statement(`UPDATE edp_transaction_files SET state = 'PRESENT', sha1 = ?, md5 = ? WHERE tx_id = ? AND repo_path = ?`).run(
        checksums.sha1,
        checksums.md5,
        txId,
        repoPath,
      );
      this.#statement('UPDATE edp_transactions SET last_activity = ? WHERE id = ?').run(at, txId);
      return toFile(this.#statement('SELECT * FROM edp_transaction_files WHERE tx_id = ? AND repo_path = ?').get(txId, repoPath) as TxFileRow);
    });
  }

  async markMissing(txId: string, repoPaths: string[]): Promise<void> {
    const update = this.db.prepare(`UPDATE edp_transaction_files SET state = 'MISSING' WHERE tx_id = ? AND repo_path = ?`);
    this.db.transaction(() => {
      for (const p of repoPaths) update.run(txId, p);
    })();
  }

  async pathStates(paths: readonly { repo: string; path: string }[]): Promise<PathSeen[]> {
    return paths.map(({ repo, path }) => ({ repo, path, state: toPathState(this.#writes.existing(repo, path)) }));
  }

  #open(txId: string): Pick<TxRow, 'state'> {
    const row = this.#statement('SELECT state FROM edp_transactions WHERE id = ?').get(txId) as Pick<TxRow, 'state'> | undefined;
    requireOpen(txId, row);
    return row;
  }

  async publish(plan: PublicationPlan): Promise<BundleRecord | undefined> {
    return this.db.transaction(() => {
      // The compare-and-set, not a rule: between the rules' reads and this write another request
      // may have closed the transaction or written at a target path; applying the plan then would
      // publish what the rules never allowed. EDP-PUB-1, EDP-PUB-4, EDP-PUB-9: inside one durable
      // database transaction, so a failing write rolls every earlier one back, leaving it OPEN.
      // EDP-TX-6, EDP-TX-8: so may a target repository have been deleted (a foreign-key failure
      // below) or reclassified (a wrong target): the plan is applied only to the ones it saw.
      const state = this.db.prepare('SELECT state FROM edp_transactions WHERE id = ?').pluck().get(plan.txId);
      const rclassOf = this.db.prepare('SELECT rclass FROM repos WHERE key = ?').pluck();
      if (state !== 'OPEN' || !plan.repos.every((r) => rclassOf.get(r.key) === r.rclass)) return undefined;
      if (!plan.seen.every((p) => samePathState(this.#writes.existing(p.repo, p.path), p.state))) return undefined;
      const { bundle } = plan;
      this.db
        .prepare(
          `INSERT INTO bundles (name, version, payload_sha256, jws, kid, tx_id, created, committed, total_size)
           VALUES (@name, @version, @payloadSha256, @jws, @kid, @txId, @created, @committed, @totalSize)`,
        )
        .run(bundle);
      const insertBundleFile = this.db.prepare('INSERT INTO bundle_files (name, version, repo, path, sha256) VALUES (?, ?, ?, ?, ?)');
      for (const f of plan.files) {
        this.#writes.file({ repo: f.repo, path: f.path, size: f.size, checksums: f.checksums, mime: f.mimeType, by: f.by, at: f.at });
        this.#writes.addProperties(f.repo, f.path, f.properties);
        insertBundleFile.run(bundle.name, bundle.version, f.repo, f.path, f.checksums.sha256);
      }
      this.db
        .prepare(`UPDATE edp_transactions SET state = 'COMMITTED', closed = ?, last_activity = ? WHERE id = ?`)
        .run(bundle.committed, bundle.committed, plan.txId);
      return bundle;
    })();
  }

  async close(txId: string, state: 'ABORTED' | 'EXPIRED', at: number): Promise<string[]> {
    return this.db.transaction(() => {
      this.#open(txId);
      const staged = this.db.prepare(`SELECT DISTINCT sha256 FROM edp_transaction_files WHERE tx_id = ? AND state = 'PRESENT'`).pluck().all(txId) as string[];
      this.db.prepare('UPDATE edp_transactions SET state = ?, closed = ? WHERE id = ?').run(state, at, txId);
      return staged;
    })();
  }

  async stale(before: number): Promise<TransactionRecord[]> {
    const rows = this.db.prepare(`${TX_SELECT} WHERE t.state = 'OPEN' AND t.last_activity < ?`).all(before) as TxRow[];
    return rows.map((row) => this.#withFiles(row));
  }

  async bundle(name: string, version: string): Promise<BundleRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM bundles WHERE name = ? AND version = ?').get(name, version) as BundleRow | undefined;
    return row && toBundle(row);
  }

  async bundles(): Promise<BundleRecord[]> {
    return (this.db.prepare('SELECT * FROM bundles ORDER BY name, committed').all() as BundleRow[]).map(toBundle);
  }

  async deleteBundle(name: string, version: string): Promise<string[]> {
    return this.db.transaction(() => {
      const files = this.db.prepare('SELECT repo, path, sha256 FROM bundle_files WHERE name = ? AND version = ?').all(name, version) as {
        repo: string;
        path: string;
        sha256: string;
      }[];
      if (this.db.prepare('DELETE FROM bundles WHERE name = ? AND version = ?').run(name, version).changes === 0) {
        throw new EdgeError('EDP_BUNDLE_UNKNOWN', `No bundle ${name}/${version}.`);
      }
      const stillHeld = this.db.prepare('SELECT 1 FROM bundle_files WHERE repo = ? AND path = ? AND sha256 = ? LIMIT 1');
      const remove = this.db.prepare('DELETE FROM items WHERE repo = ? AND path = ? AND sha256 = ?');
      const released: string[] = [];
      const removed: { repo: string; path: string }[] = [];
      for (const f of files) {
        if (stillHeld.get(f.repo, f.path, f.sha256)) continue;
        if (remove.run(f.repo, f.path, f.sha256).changes > 0) {
          released.push(f.sha256);
          removed.push(f);
        }
      }
      this.#removeFoldersLeftEmpty(removed);
      return released;
    })();
  }

  /**
   * EDP-PUB-5: a deleted bundle leaves no trace, so the folders its files leave empty go too
   * (Artifactory's empty-folder cleanup would remove them later); otherwise a later bundle
   * could never put a file where one of them stands (EDP-TX-8 would call it a conflict).
   */
  #removeFoldersLeftEmpty(files: readonly { repo: string; path: string }[]): void {
    const removeIfEmpty = this.db.prepare(
      'DELETE FROM items WHERE repo = ? AND path = ? AND folder = 1 AND NOT EXISTS (SELECT 1 FROM items WHERE repo = ? AND parent = ?)',
    );
    const folders = new Map<string, { repo: string; path: string }>();
    for (const f of files) for (const path of ancestorsOf(f.path)) folders.set(`${f.repo}\0${path}`, { repo: f.repo, path });
    const deepestFirst = [...folders.values()].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
    for (const { repo, path } of deepestFirst) removeIfEmpty.run(repo, path, repo, path);
  }

  async bundlesInRepo(repo: string): Promise<{ name: string; version: string }[]> {
    return this.db.prepare('SELECT DISTINCT name, version FROM bundle_files WHERE repo = ?').all(repo) as { name: string; version: string }[];
  }
}
