import type { Checksums } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { ancestorsOf } from '../../../protocol/paths.ts';
import {
  requireOpen,
  type BundleRecord,
  type BundleStore,
  type PathSeen,
  type PublicationPlan,
  type TransactionHead,
  type TransactionRecord,
  type TrustedKeyRecord,
  type TxFile,
  type TxState,
} from '../bundles.ts';
import {
  samePathState,
  toPathState,
  toBundle,
  toFile,
  toHead,
  toKey,
  type BundleRow,
  type KeyRow,
  type TxFileRow as SqliteTxFileRow,
  type TxRow,
} from '../sqlite/sqlite-bundles.ts';
import { batches, existingAt, insertTxFiles, publishFiles } from './pg-batches.ts';
import type { PgDb, Sql } from './pg-db.ts';
import { depthOf } from '../sqlite/item-writes.ts';

/** The rows are SQLite's, column for column (the mappers are shared); a file row read across transactions names its own. */
interface TxFileRow extends SqliteTxFileRow {
  tx_id: string;
}

/** A transaction's columns but its signed bundle. */
const HEAD_COLUMNS = 't.id, t.name, t.version, t.payload_sha256, t.kid, t.state, t.created, t.last_activity, t.closed, t.created_by';

/** The transactions with their files, in bundle order, read in one statement for all of them. */
async function withFiles(sql: Sql, rows: TxRow[]): Promise<TransactionRecord[]> {
  if (rows.length === 0) return [];
  const files = await sql.query<TxFileRow>('SELECT * FROM edp_transaction_files WHERE tx_id = ANY($1::text[]) ORDER BY position, repo_path', [
    rows.map((row) => row.id),
  ]);
  const byTx = new Map<string, TxFile[]>(rows.map((row) => [row.id, []]));
  for (const file of files) byTx.get(file.tx_id)?.push(toFile(file));
  return rows.map((row) => ({ ...toHead(row), jws: row.jws, files: byTx.get(row.id) ?? [] }));
}

/**
 * EDP-PUB-5: the folders a deleted bundle's files leave empty go too (see sqlite-bundles.ts),
 * deepest first, one statement per depth (EDGE-PG-6): a folder's children are one level
 * deeper, already gone when its level is judged.
 */
async function removeFoldersLeftEmpty(sql: Sql, files: readonly { repo: string; path: string }[]): Promise<void> {
  const byDepth = new Map<number, Map<string, { repo: string; path: string }>>();
  for (const f of files) {
    for (const path of ancestorsOf(f.path)) {
      const level = byDepth.get(depthOf(path)) ?? new Map<string, { repo: string; path: string }>();
      byDepth.set(depthOf(path), level.set(`${f.repo}\0${path}`, { repo: f.repo, path }));
    }
  }
  for (const depth of [...byDepth.keys()].sort((a, b) => b - a)) {
    for (const batch of batches([...(byDepth.get(depth)?.values() ?? [])])) {
      await sql.run(
        `DELETE FROM items it USING unnest($1::text[], $2::text[]) AS d(repo, path)
         WHERE it.repo = d.repo AND it.path = d.path AND it.folder AND NOT EXISTS (SELECT 1 FROM items c WHERE c.repo = d.repo AND c.parent = d.path)`,
        [batch.map((d) => d.repo), batch.map((d) => d.path)],
      );
    }
  }
}

/** The transaction row, locked against a concurrent close, commit or markPresent, and OPEN. */
async function lockOpen(sql: Sql, txId: string): Promise<TxRow> {
  const [row] = await sql.query<TxRow>('SELECT * FROM edp_transactions WHERE id = $1 FOR UPDATE', [txId]);
  requireOpen(txId, row);
  return row;
}

/** The EDP metadata (bundles.ts) in PostgreSQL: sqlite-bundles.ts, statement for statement. */
export class PgBundles implements BundleStore {
  constructor(private readonly db: PgDb) {}

  keys(): Promise<TrustedKeyRecord[]> {
    return this.db.read(async (sql) => (await sql.query<KeyRow>('SELECT * FROM trusted_keys ORDER BY alias')).map(toKey));
  }

  key(kid: string): Promise<TrustedKeyRecord | undefined> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<KeyRow>('SELECT * FROM trusted_keys WHERE kid = $1', [kid]);
      return row && toKey(row);
    });
  }

  /** EDP-KEY-5: one alias, one key. */
  addKey(key: TrustedKeyRecord): Promise<void> {
    return this.db.write(async (sql) => {
      const [clash] = await sql.query<{ alias: string; kid: string }>('SELECT alias, kid FROM trusted_keys WHERE alias = $1 OR kid = $2 OR fingerprint = $3', [
        key.alias,
        key.kid,
        key.fingerprint,
      ]);
      if (clash) {
        throw new EdgeError(
          'KEY_DUPLICATE',
          clash.alias === key.alias
            ? `A trusted key with alias '${key.alias}' already exists.`
            : `This key is already trusted as '${clash.alias}' (kid ${clash.kid}).`,
        );
      }
      await sql.run(
        `INSERT INTO trusted_keys (kid, alias, fingerprint, public_key, algorithm, bits, issued, issued_by, expiry, added)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [key.kid, key.alias, key.fingerprint, key.publicKey, key.algorithm, key.bits, key.issued, key.issuedBy, key.expiry, key.added],
      );
    });
  }

  removeKey(kid: string): Promise<boolean> {
    return this.db.write(async (sql) => (await sql.run('DELETE FROM trusted_keys WHERE kid = $1', [kid])) > 0);
  }

  createTransaction(tx: TransactionRecord): Promise<string> {
    return this.db.write(async (sql) => {
      // EDGE-PG-3: the partial unique index keeps one OPEN transaction per name/version; a start
      // racing on another node loses here (or is retried by SERIALIZABLE) and finds the winner's.
      const [inserted] = await sql.query<{ id: string }>(
        `INSERT INTO edp_transactions (id, name, version, payload_sha256, jws, kid, state, created, last_activity, closed, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (name, version) WHERE state = 'OPEN' DO NOTHING RETURNING id`,
        [tx.id, tx.name, tx.version, tx.payloadSha256, tx.jws, tx.kid, tx.state, tx.created, tx.lastActivity, tx.closed, tx.by],
      );
      if (!inserted) {
        const [open] = await sql.query<{ id: string }>(`SELECT id FROM edp_transactions WHERE name = $1 AND version = $2 AND state = 'OPEN'`, [
          tx.name,
          tx.version,
        ]);
        if (open) return open.id;
      }
      await insertTxFiles(sql, tx.id, tx.files);
      return tx.id;
    });
  }

  transaction(id: string): Promise<TransactionRecord | undefined> {
    return this.db.read(async (sql) => (await withFiles(sql, await sql.query<TxRow>('SELECT * FROM edp_transactions WHERE id = $1', [id])))[0]);
  }

  transactionHead(id: string): Promise<TransactionHead | undefined> {
    return this.db.read(async (sql) => {
      // Not the JWS: hundreds of KiB for a large bundle, read for every file (issue #13).
      const [row] = await sql.query<Omit<TxRow, 'jws'>>(`SELECT ${HEAD_COLUMNS} FROM edp_transactions t WHERE t.id = $1`, [id]);
      return row && toHead(row);
    });
  }

  fileOf(txId: string, repoPath: string): Promise<{ head: TransactionHead; file: TxFile | undefined } | undefined> {
    // EDGE-PG-6: an upload's one read: the file comes along as a JSON column (its `state` would
    // clash with the transaction's).
    return this.db.read(async (sql) => {
      const [row] = await sql.query<Omit<TxRow, 'jws'> & { file: SqliteTxFileRow | null }>(
        `SELECT ${HEAD_COLUMNS},
           (SELECT row_to_json(f) FROM edp_transaction_files f WHERE f.tx_id = t.id AND f.repo_path = $2) AS file
         FROM edp_transactions t WHERE t.id = $1`,
        [txId, repoPath],
      );
      return row && { head: toHead(row), file: row.file ? toFile(row.file) : undefined };
    });
  }

  transactionsOf(name: string, version: string, states: TxState[]): Promise<TransactionRecord[]> {
    return this.db.read(async (sql) =>
      withFiles(
        sql,
        await sql.query<TxRow>('SELECT * FROM edp_transactions WHERE name = $1 AND version = $2 AND state = ANY($3::text[]) ORDER BY created DESC, id DESC', [
          name,
          version,
          states,
        ]),
      ),
    );
  }

  transactions(state?: TxState): Promise<TransactionRecord[]> {
    return this.db.read(async (sql) =>
      withFiles(
        sql,
        state
          ? await sql.query<TxRow>('SELECT * FROM edp_transactions WHERE state = $1 ORDER BY created, id', [state])
          : await sql.query<TxRow>('SELECT * FROM edp_transactions ORDER BY created, id'),
      ),
    );
  }

  /** SHA-1 and MD5 of content the Edge already holds, from any row that knows them. */
  checksumsOf(sha256: string): Promise<Checksums | undefined> {
    return this.db.read(async (sql) => {
      type Sums = { sha1: string; md5: string };
      const [row] = (await sql.query<Sums>('SELECT sha1, md5 FROM items WHERE sha256 = $1 LIMIT 1', [sha256])).concat(
        await sql.query<Sums>('SELECT sha1, md5 FROM edp_transaction_files WHERE sha256 = $1 AND sha1 IS NOT NULL LIMIT 1', [sha256]),
      );
      return row && { sha256, sha1: row.sha1, md5: row.md5 };
    });
  }

  // The per-file writes of a transaction take its row lock rather than SERIALIZABLE: parallel
  // uploads of one bundle's files queue on the lock instead of failing and retrying.
  markPresent(txId: string, repoPath: string, at: number, checksums: Checksums): Promise<TxFile> {
    // EDGE-PG-6: one statement, one round trip. Its update of the transaction's row takes the row
    // lock and, under READ COMMITTED, checks the state again once it has it: parallel uploads of
    // one bundle's files queue on the lock, and none lands after a close or a commit.
    return this.db
      .statement<TxFileRow>(
        `WITH tx AS (UPDATE edp_transactions SET last_activity = $1 WHERE id = $2 AND state = 'OPEN' RETURNING id)
         UPDATE edp_transaction_files f SET state = 'PRESENT', sha1 = $3, md5 = $4 FROM tx WHERE f.tx_id = tx.id AND f.repo_path = $5 RETURNING f.*`,
        [at, txId, checksums.sha1, checksums.md5, repoPath],
      )
      .then(async ([row]) => {
        if (row) return toFile(row);
        requireOpen(txId, (await this.db.read((sql) => sql.query<Pick<TxRow, 'state'>>('SELECT state FROM edp_transactions WHERE id = $1', [txId])))[0]);
        throw new Error(`${repoPath} is not a file of transaction ${txId}.`);
      });
  }

  markMissing(txId: string, repoPaths: string[]): Promise<void> {
    return this.db.write(async (sql) => {
      await sql.run(`UPDATE edp_transaction_files SET state = 'MISSING' WHERE tx_id = $1 AND repo_path = ANY($2::text[])`, [txId, repoPaths]);
    }, 'READ COMMITTED');
  }

  publish(plan: PublicationPlan): Promise<BundleRecord | undefined> {
    // EDGE-PG-4: SERIALIZABLE, so the compare-and-set below holds against another node
    // deploying at a target path, deleting a target repository or closing the transaction
    // between these reads and the writes: one of the two is retried and sees the other's work.
    return this.db.write(async (sql) => {
      // The compare-and-set, not a rule (see sqlite-bundles.ts): EDP-PUB-1, EDP-PUB-4, EDP-PUB-9,
      // EDP-TX-6, EDP-TX-8: one database transaction, applied only to what the rules saw.
      const [tx] = await sql.query<{ state: string }>('SELECT state FROM edp_transactions WHERE id = $1', [plan.txId]);
      if (tx?.state !== 'OPEN') return undefined;
      const repos = await sql.query<{ key: string; rclass: string }>('SELECT key, rclass FROM repos WHERE key = ANY($1::text[])', [
        plan.repos.map((r) => r.key),
      ]);
      const rclassOf = new Map(repos.map((r) => [r.key, r.rclass]));
      if (!plan.repos.every((r) => rclassOf.get(r.key) === r.rclass)) return undefined;
      const now = await existingAt(sql, plan.seen);
      if (!plan.seen.every((p, i) => samePathState(now[i], p.state))) return undefined;
      const { bundle } = plan;
      await sql.run(
        `INSERT INTO bundles (name, version, payload_sha256, jws, kid, tx_id, created, committed, total_size)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [bundle.name, bundle.version, bundle.payloadSha256, bundle.jws, bundle.kid, bundle.txId, bundle.created, bundle.committed, bundle.totalSize],
      );
      for (const batch of batches(plan.files)) await publishFiles(sql, bundle, batch);
      await sql.run(`UPDATE edp_transactions SET state = 'COMMITTED', closed = $1, last_activity = $1 WHERE id = $2`, [bundle.committed, plan.txId]);
      return bundle;
    });
  }

  pathStates(paths: readonly { repo: string; path: string }[]): Promise<PathSeen[]> {
    return this.db.read(async (sql) => {
      const now = await existingAt(sql, paths);
      return paths.map(({ repo, path }, i) => ({ repo, path, state: toPathState(now[i]) }));
    });
  }

  close(txId: string, state: 'ABORTED' | 'EXPIRED', at: number): Promise<string[]> {
    return this.db.write(async (sql) => {
      await lockOpen(sql, txId);
      const staged = await sql.query<{ sha256: string }>(`SELECT DISTINCT sha256 FROM edp_transaction_files WHERE tx_id = $1 AND state = 'PRESENT'`, [txId]);
      await sql.run('UPDATE edp_transactions SET state = $1, closed = $2 WHERE id = $3', [state, at, txId]);
      return staged.map((row) => row.sha256);
    }, 'READ COMMITTED');
  }

  stale(before: number): Promise<TransactionRecord[]> {
    return this.db.read(async (sql) =>
      withFiles(sql, await sql.query<TxRow>(`SELECT * FROM edp_transactions WHERE state = 'OPEN' AND last_activity < $1`, [before])),
    );
  }

  bundle(name: string, version: string): Promise<BundleRecord | undefined> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<BundleRow>('SELECT * FROM bundles WHERE name = $1 AND version = $2', [name, version]);
      return row && toBundle(row);
    });
  }

  bundles(): Promise<BundleRecord[]> {
    return this.db.read(async (sql) => (await sql.query<BundleRow>('SELECT * FROM bundles ORDER BY name, committed')).map(toBundle));
  }

  deleteBundle(name: string, version: string): Promise<string[]> {
    return this.db.write(async (sql) => {
      const files = await sql.query<{ repo: string; path: string; sha256: string }>(
        'SELECT repo, path, sha256 FROM bundle_files WHERE name = $1 AND version = $2',
        [name, version],
      );
      if ((await sql.run('DELETE FROM bundles WHERE name = $1 AND version = $2', [name, version])) === 0) {
        throw new EdgeError('EDP_BUNDLE_UNKNOWN', `No bundle ${name}/${version}.`);
      }
      // EDGE-PG-6: a statement per batch of files, not two per file. A file another bundle also
      // published (same path, same content) stays; one replaced since by other content too.
      const removed: { repo: string; path: string; sha256: string }[] = [];
      for (const batch of batches(files)) {
        removed.push(
          ...(await sql.query<{ repo: string; path: string; sha256: string }>(
            `DELETE FROM items it USING unnest($1::text[], $2::text[], $3::text[]) AS f(repo, path, sha256)
             WHERE it.repo = f.repo AND it.path = f.path AND it.sha256 = f.sha256
               AND NOT EXISTS (SELECT 1 FROM bundle_files b WHERE b.repo = f.repo AND b.path = f.path AND b.sha256 = f.sha256)
             RETURNING it.repo, it.path, it.sha256`,
            [batch.map((f) => f.repo), batch.map((f) => f.path), batch.map((f) => f.sha256)],
          )),
        );
      }
      await removeFoldersLeftEmpty(sql, removed);
      return removed.map((f) => f.sha256);
    });
  }

  bundlesInRepo(repo: string): Promise<{ name: string; version: string }[]> {
    return this.db.read((sql) => sql.query<{ name: string; version: string }>('SELECT DISTINCT name, version FROM bundle_files WHERE repo = $1', [repo]));
  }
}
