import type Database from 'better-sqlite3';
import type { Checksums } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { ancestorsOf, parentOf } from '../../../protocol/paths.ts';
import type { Properties } from '../../../protocol/wire/properties.ts';

type Db = Database.Database;

export const depthOf = (path: string): number => path.split('/').length;

/** Key range that selects exactly the paths below `folder` on the primary key ('/' + 1 = '0'). */
export function below(folder: string): [string, string] {
  return folder === '' ? ['', '\uffff'] : [`${folder}/`, `${folder}0`];
}

export interface FileRow {
  repo: string;
  path: string;
  size: number;
  checksums: Checksums;
  mime: string | null;
  by: string;
  at: number;
}

/**
 * The item writes shared by deploys, copies and bundle commits. Callers run them inside a
 * transaction; each refuses a file where a folder must be and the reverse.
 */
export class ItemWrites {
  readonly #select;
  readonly #insertFolder;
  readonly #upsertFile;
  readonly #clearProperties;
  readonly #insertProperty;

  constructor(db: Db) {
    this.#select = db.prepare('SELECT folder, sha256 FROM items WHERE repo = ? AND path = ?');
    this.#insertFolder = db.prepare(
      `INSERT INTO items (repo, path, parent, depth, folder, size, created, created_by, modified, modified_by, updated)
       VALUES (@repo, @path, @parent, @depth, 1, -1, @at, @by, @at, @by, @at) ON CONFLICT (repo, path) DO NOTHING`,
    );
    this.#upsertFile = db.prepare(
      `INSERT INTO items (repo, path, parent, depth, folder, size, sha256, sha1, md5, mime, created, created_by, modified, modified_by, updated)
       VALUES (@repo, @path, @parent, @depth, 0, @size, @sha256, @sha1, @md5, @mime, @at, @by, @at, @by, @at)
       ON CONFLICT (repo, path) DO UPDATE SET size = @size, sha256 = @sha256, sha1 = @sha1, md5 = @md5, mime = @mime,
         modified = @at, modified_by = @by, updated = @at`,
    );
    this.#clearProperties = db.prepare('DELETE FROM properties WHERE repo = ? AND path = ?');
    this.#insertProperty = db.prepare(
      `INSERT INTO properties (repo, path, key, value, seq)
       VALUES (?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM properties WHERE repo = ? AND path = ?))
       ON CONFLICT DO NOTHING`,
    );
  }

  existing(repo: string, path: string): { folder: boolean; sha256: string | null } | undefined {
    const row = this.#select.get(repo, path) as { folder: 0 | 1; sha256: string | null } | undefined;
    return row && { folder: row.folder === 1, sha256: row.sha256 };
  }

  /** Creates missing folders (each path given, in order); true when anything was created. */
  folders(repo: string, paths: string[], by: string, at: number): boolean {
    let created = false;
    for (const path of paths) {
      const existing = this.existing(repo, path);
      if (existing && !existing.folder) {
        throw new EdgeError('ITEM_TYPE_CONFLICT', `Cannot create '${path}' in ${repo}: a file is in the way.`);
      }
      if (!existing) {
        this.#insertFolder.run({ repo, path, parent: parentOf(path), depth: depthOf(path), by, at });
        created = true;
      }
    }
    return created;
  }

  /** Writes a file and its parents; returns the SHA-256 it replaced, if any. */
  file(row: FileRow): string | null {
    this.folders(row.repo, ancestorsOf(row.path), row.by, row.at);
    const existing = this.existing(row.repo, row.path);
    if (existing?.folder) throw new EdgeError('ITEM_TYPE_CONFLICT', `Cannot write '${row.path}' in ${row.repo}: it is a folder.`);
    this.#upsertFile.run({
      repo: row.repo,
      path: row.path,
      parent: parentOf(row.path),
      depth: depthOf(row.path),
      size: row.size,
      ...row.checksums,
      mime: row.mime,
      by: row.by,
      at: row.at,
    });
    return existing?.sha256 ?? null;
  }

  replaceProperties(repo: string, path: string, properties: Properties): void {
    this.#clearProperties.run(repo, path);
    this.addProperties(repo, path, properties);
  }

  addProperties(repo: string, path: string, properties: Properties): void {
    for (const [key, values] of Object.entries(properties)) {
      for (const value of values) this.#insertProperty.run(repo, path, key, value, repo, path);
    }
  }
}
