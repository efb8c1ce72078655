import { EdgeError } from '../../../protocol/errors.ts';
import { ancestorsOf, parentOf } from '../../../protocol/paths.ts';
import type { Properties } from '../../../protocol/wire/properties.ts';
import type { ItemRecord } from '../metadata.ts';
import { depthOf, type FileRow } from '../sqlite/item-writes.ts';
import type { Sql } from './pg-db.ts';

export interface PgItemRow {
  repo: string;
  path: string;
  parent: string;
  depth: number;
  folder: boolean;
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

export function toItem(row: PgItemRow): ItemRecord {
  return {
    repo: row.repo,
    path: row.path,
    folder: row.folder,
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

export async function selectItem(sql: Sql, repo: string, path: string): Promise<PgItemRow | undefined> {
  return (await sql.query<PgItemRow>('SELECT * FROM items WHERE repo = $1 AND path = $2', [repo, path]))[0];
}

/**
 * The item writes shared by deploys, copies and bundle commits (sqlite/item-writes.ts in
 * PostgreSQL): run inside a write transaction; each refuses a file where a folder must be and
 * the reverse.
 */
export const pgItemWrites = {
  async existing(sql: Sql, repo: string, path: string): Promise<{ folder: boolean; sha256: string | null } | undefined> {
    return (await sql.query<{ folder: boolean; sha256: string | null }>('SELECT folder, sha256 FROM items WHERE repo = $1 AND path = $2', [repo, path]))[0];
  },

  /** Creates missing folders (each path given, in order); true when anything was created. */
  async folders(sql: Sql, repo: string, paths: string[], by: string, at: number): Promise<boolean> {
    let created = false;
    for (const path of paths) {
      const existing = await pgItemWrites.existing(sql, repo, path);
      if (existing && !existing.folder) {
        throw new EdgeError('ITEM_TYPE_CONFLICT', `Cannot create '${path}' in ${repo}: a file is in the way.`);
      }
      if (!existing) {
        await sql.run(
          `INSERT INTO items (repo, path, parent, depth, folder, size, created, created_by, modified, modified_by, updated)
           VALUES ($1, $2, $3, $4, TRUE, -1, $5, $6, $5, $6, $5) ON CONFLICT (repo, path) DO NOTHING`,
          [repo, path, parentOf(path), depthOf(path), at, by],
        );
        created = true;
      }
    }
    return created;
  },

  /** Writes a file and its parents; returns the SHA-256 it replaced, if any. */
  async file(sql: Sql, row: FileRow): Promise<string | null> {
    await pgItemWrites.folders(sql, row.repo, ancestorsOf(row.path), row.by, row.at);
    const existing = await pgItemWrites.existing(sql, row.repo, row.path);
    if (existing?.folder) throw new EdgeError('ITEM_TYPE_CONFLICT', `Cannot write '${row.path}' in ${row.repo}: it is a folder.`);
    await sql.run(
      `INSERT INTO items (repo, path, parent, depth, folder, size, sha256, sha1, md5, mime, created, created_by, modified, modified_by, updated)
       VALUES ($1, $2, $3, $4, FALSE, $5, $6, $7, $8, $9, $10, $11, $10, $11, $10)
       ON CONFLICT (repo, path) DO UPDATE SET size = $5, sha256 = $6, sha1 = $7, md5 = $8, mime = $9, modified = $10, modified_by = $11, updated = $10`,
      [
        row.repo,
        row.path,
        parentOf(row.path),
        depthOf(row.path),
        row.size,
        row.checksums.sha256,
        row.checksums.sha1,
        row.checksums.md5,
        row.mime,
        row.at,
        row.by,
      ],
    );
    return existing?.sha256 ?? null;
  },

  async replaceProperties(sql: Sql, repo: string, path: string, properties: Properties): Promise<void> {
    await sql.run('DELETE FROM properties WHERE repo = $1 AND path = $2', [repo, path]);
    await pgItemWrites.addProperties(sql, repo, path, properties);
  },

  async addProperties(sql: Sql, repo: string, path: string, properties: Properties): Promise<void> {
    for (const [key, values] of Object.entries(properties)) {
      for (const value of values) {
        await sql.run(
          `INSERT INTO properties (repo, path, key, value, seq)
           VALUES ($1, $2, $3, $4, (SELECT coalesce(max(seq), 0) + 1 FROM properties WHERE repo = $1 AND path = $2))
           ON CONFLICT DO NOTHING`,
          [repo, path, key, value],
        );
      }
    }
  },

  /** Deepest first, so a folder emptied by removing its empty sub-folders goes too. */
  async removeEmptyFolders(sql: Sql, repo: string, folders: readonly string[]): Promise<void> {
    const deepestFirst = [...folders].sort((a, b) => depthOf(b) - depthOf(a));
    for (const path of deepestFirst) {
      await sql.run('DELETE FROM items WHERE repo = $1 AND path = $2 AND folder AND NOT EXISTS (SELECT 1 FROM items WHERE repo = $1 AND parent = $2)', [
        repo,
        path,
      ]);
    }
  },
};
