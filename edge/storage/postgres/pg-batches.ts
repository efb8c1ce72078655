import { ancestorsOf, parentOf } from '../../../protocol/paths.ts';
import type { BundleRecord, PublishedFile, TxFile } from '../bundles.ts';
import { depthOf } from '../sqlite/item-writes.ts';
import type { Sql } from './pg-db.ts';

/**
 * EDGE-PG-6: the set statements a bundle's start and commit are made of. Each takes one array
 * per column and turns it into rows with `unnest`, so a batch costs one round trip however many
 * files it holds; a bundle of 2,000 files is a handful of statements, not 2,000 times six. Rows go
 * in batches of at most BATCH, which bounds one statement's size, not the number per file.
 */
export const BATCH = 1000;

export function batches<T>(rows: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** What is at each path (undefined: nothing), in the order given. */
export async function existingAt(
  sql: Sql,
  paths: readonly { repo: string; path: string }[],
): Promise<({ folder: boolean; sha256: string | null } | undefined)[]> {
  const out: ({ folder: boolean; sha256: string | null } | undefined)[] = [];
  for (const batch of batches(paths)) {
    const rows = await sql.query<{ folder: boolean | null; sha256: string | null }>(
      `SELECT it.folder, it.sha256 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(repo, path, i)
       LEFT JOIN items it ON it.repo = s.repo AND it.path = s.path ORDER BY s.i`,
      [batch.map((p) => p.repo), batch.map((p) => p.path)],
    );
    for (const row of rows) out.push(row.folder === null ? undefined : { folder: row.folder, sha256: row.sha256 });
  }
  return out;
}

/** A transaction's files, MISSING, with their bundle positions (EDP-TX-3). */
export async function insertTxFiles(sql: Sql, txId: string, files: readonly TxFile[]): Promise<void> {
  for (const [n, batch] of batches(files).entries()) {
    await sql.run(
      `INSERT INTO edp_transaction_files (tx_id, repo_path, repo, path, sha256, size, props, state, position)
       SELECT $1, f.repo_path, f.repo, f.path, f.sha256, f.size, f.props, 'MISSING', $2 + f.i - 1
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[]) WITH ORDINALITY AS f(repo_path, repo, path, sha256, size, props, i)`,
      [
        txId,
        n * BATCH,
        batch.map((f) => f.repoPath),
        batch.map((f) => f.repo),
        batch.map((f) => f.path),
        batch.map((f) => f.sha256),
        batch.map((f) => f.size),
        batch.map((f) => JSON.stringify(f.props)),
      ],
    );
  }
}

/**
 * A batch of a commit's files: their missing folders, the files, their properties (added to
 * those the path has) and the bundle's file list. No type checks here, unlike item writes: the
 * publication rules found no file where a folder goes nor the reverse (EDP-TX-8), and `publish`
 * has just checked, in the same serializable transaction, that every path is as they saw it.
 */
export async function publishFiles(sql: Sql, bundle: BundleRecord, files: readonly PublishedFile[]): Promise<void> {
  const folders = new Map<string, { repo: string; path: string; by: string; at: number }>();
  for (const f of files) {
    for (const path of ancestorsOf(f.path)) if (!folders.has(`${f.repo}/${path}`)) folders.set(`${f.repo}/${path}`, { repo: f.repo, path, by: f.by, at: f.at });
  }
  const dirs = [...folders.values()];
  if (dirs.length) {
    await sql.run(
      `INSERT INTO items (repo, path, parent, depth, folder, size, created, created_by, modified, modified_by, updated)
       SELECT repo, path, parent, depth, TRUE, -1, at, by, at, by, at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[]) AS d(repo, path, parent, depth, at, by)
       ON CONFLICT (repo, path) DO NOTHING`,
      [
        dirs.map((d) => d.repo),
        dirs.map((d) => d.path),
        dirs.map((d) => parentOf(d.path)),
        dirs.map((d) => depthOf(d.path)),
        dirs.map((d) => d.at),
        dirs.map((d) => d.by),
      ],
    );
  }
  const column = <K extends keyof PublishedFile>(key: K) => files.map((f) => f[key]);
  await sql.run(
    `INSERT INTO items (repo, path, parent, depth, folder, size, sha256, sha1, md5, mime, created, created_by, modified, modified_by, updated)
     SELECT repo, path, parent, depth, FALSE, size, sha256, sha1, md5, mime, at, by, at, by, at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[])
       AS f(repo, path, parent, depth, size, sha256, sha1, md5, mime, at, by)
     ON CONFLICT (repo, path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, sha1 = excluded.sha1, md5 = excluded.md5,
       mime = excluded.mime, modified = excluded.modified, modified_by = excluded.modified_by, updated = excluded.updated`,
    [
      column('repo'),
      column('path'),
      files.map((f) => parentOf(f.path)),
      files.map((f) => depthOf(f.path)),
      column('size'),
      files.map((f) => f.checksums.sha256),
      files.map((f) => f.checksums.sha1),
      files.map((f) => f.checksums.md5),
      column('mimeType'),
      column('at'),
      column('by'),
    ],
  );
  const props = files.flatMap((f) =>
    Object.entries(f.properties).flatMap(([key, values]) => values.map((value) => ({ repo: f.repo, path: f.path, key, value }))),
  );
  if (props.length) {
    // Each value goes after those the path has, in the order given; one already there stays where it is.
    await sql.run(
      `INSERT INTO properties (repo, path, key, value, seq)
       SELECT p.repo, p.path, p.key, p.value,
         coalesce((SELECT max(e.seq) FROM properties e WHERE e.repo = p.repo AND e.path = p.path), 0) + row_number() OVER (PARTITION BY p.repo, p.path ORDER BY p.i)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS p(repo, path, key, value, i)
       ON CONFLICT DO NOTHING`,
      [props.map((p) => p.repo), props.map((p) => p.path), props.map((p) => p.key), props.map((p) => p.value)],
    );
  }
  await sql.run(
    `INSERT INTO bundle_files (name, version, repo, path, sha256)
     SELECT $1, $2, repo, path, sha256 FROM unnest($3::text[], $4::text[], $5::text[]) AS f(repo, path, sha256)`,
    [bundle.name, bundle.version, column('repo'), column('path'), files.map((f) => f.checksums.sha256)],
  );
}
