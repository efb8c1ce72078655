import type { Checksums } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { ancestorsOf } from '../../../protocol/paths.ts';
import { addPropertyValues, emptyProperties, type Properties } from '../../../protocol/wire/properties.ts';
import type { ItemRecord, ItemStore, NewFile, PropertyStore } from '../metadata.ts';
import { below, depthOf } from '../sqlite/item-writes.ts';
import type { PgDb, Sql } from './pg-db.ts';
import { pgItemWrites as writes, selectItem, toItem, type PgItemRow } from './pg-item-writes.ts';

/** Content staged by OPEN transactions counts as referenced, so it is never reclaimed under them. */
export const PG_STAGED_CONTENT_SQL = `
  SELECT f.sha256 FROM edp_transaction_files f JOIN edp_transactions t ON t.id = f.tx_id
  WHERE f.state = 'PRESENT' AND t.state = 'OPEN'`;

/** `putFile` inside a caller's transaction (a smart remote's cached file is stored the same way). */
export async function putFileIn(sql: Sql, file: NewFile): Promise<{ replaced: ItemRecord | undefined }> {
  const existing = await selectItem(sql, file.repo, file.path);
  await writes.file(sql, { repo: file.repo, path: file.path, size: file.size, checksums: file.checksums, mime: file.mimeType, by: file.by, at: file.at });
  if (existing || Object.keys(file.properties).length > 0) await writes.replaceProperties(sql, file.repo, file.path, file.properties);
  return { replaced: existing && toItem(existing) };
}

export class PgItems implements ItemStore {
  constructor(private readonly db: PgDb) {}

  get(repo: string, path: string): Promise<ItemRecord | undefined> {
    return this.db.read(async (sql) => {
      const row = await selectItem(sql, repo, path);
      return row && toItem(row);
    });
  }

  children(repo: string, folder: string): Promise<ItemRecord[]> {
    return this.db.read(async (sql) =>
      (await sql.query<PgItemRow>('SELECT * FROM items WHERE repo = $1 AND parent = $2 ORDER BY folder DESC, path', [repo, folder])).map(toItem),
    );
  }

  descendants(repo: string, folder: string, depth: number): Promise<ItemRecord[]> {
    const [from, to] = below(folder);
    const maxDepth = folder === '' ? depth : depthOf(folder) + depth;
    return this.db.read(async (sql) =>
      (
        await sql.query<PgItemRow>('SELECT * FROM items WHERE repo = $1 AND path >= $2 AND path < $3 AND depth <= $4 ORDER BY path', [
          repo,
          from,
          to,
          // The column is an INTEGER: any deeper bound means "all".
          Math.min(maxDepth, 2 ** 31 - 1),
        ])
      ).map(toItem),
    );
  }

  putFile(file: NewFile): Promise<{ replaced: ItemRecord | undefined }> {
    return this.db.write((sql) => putFileIn(sql, file));
  }

  putFolder(repo: string, path: string, by: string, at: number): Promise<boolean> {
    return this.db.write((sql) => writes.folders(sql, repo, [...ancestorsOf(path), path], by, at));
  }

  deleteItems(repo: string, paths: readonly string[]): Promise<string[]> {
    return this.db.write(async (sql) => {
      const rows = await sql.query<PgItemRow>('SELECT * FROM items WHERE repo = $1 AND path = ANY($2::text[])', [repo, paths]);
      const released = new Set<string>();
      for (const row of rows) {
        if (row.folder) continue;
        await sql.run('DELETE FROM items WHERE repo = $1 AND path = $2', [repo, row.path]);
        released.add(row.sha256 as string);
      }
      await writes.removeEmptyFolders(
        sql,
        repo,
        rows.filter((row) => row.folder).map((row) => row.path),
      );
      return [...released];
    });
  }

  copyItems(
    from: { repo: string; path: string },
    to: { repo: string; path: string },
    paths: readonly string[],
    opts: { move: boolean; by: string; at: number },
  ): Promise<{ files: number; folders: number; released: string[] }> {
    return this.db.write(async (sql) => {
      // In the order SQLite's store sorts them (JavaScript's), so parents come before their children.
      const rows = (await sql.query<PgItemRow>('SELECT * FROM items WHERE repo = $1 AND path = ANY($2::text[])', [from.repo, paths])).sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
      );
      if (rows[0]?.path !== from.path) throw new EdgeError('NOT_FOUND', `Could not find '${from.repo}/${from.path}'.`);
      // EDGE-AUTH-6: never a row at the repository root or at a path with a leading slash.
      if (to.path === '' || to.path.startsWith('/')) throw new EdgeError('BAD_PATH', `Invalid path: cannot copy onto '${to.repo}/${to.path}'.`);
      await writes.folders(sql, to.repo, ancestorsOf(to.path), opts.by, opts.at);
      const released: string[] = [];
      let files = 0;
      let folders = 0;
      for (const row of rows) {
        const target = to.path + row.path.slice(from.path.length);
        const existing = await writes.existing(sql, to.repo, target);
        if (existing && existing.folder !== row.folder) {
          throw new EdgeError('ITEM_TYPE_CONFLICT', `Cannot copy onto '${to.repo}/${target}': a ${existing.folder ? 'folder' : 'file'} is there.`);
        }
        if (row.folder) {
          await writes.folders(sql, to.repo, [target], opts.by, opts.at);
          folders++;
          continue;
        }
        const replaced = await writes.file(sql, {
          repo: to.repo,
          path: target,
          size: row.size,
          checksums: { sha256: row.sha256 as string, sha1: row.sha1 ?? '', md5: row.md5 ?? '' },
          mime: row.mime,
          by: opts.by,
          at: opts.at,
        });
        if (replaced) released.push(replaced);
        await writes.replaceProperties(sql, to.repo, target, {});
        await sql.run('INSERT INTO properties (repo, path, key, value, seq) SELECT $1, $2, key, value, seq FROM properties WHERE repo = $3 AND path = $4', [
          to.repo,
          target,
          from.repo,
          row.path,
        ]);
        files++;
      }
      if (opts.move) {
        for (const row of rows) if (!row.folder) await sql.run('DELETE FROM items WHERE repo = $1 AND path = $2', [from.repo, row.path]);
        await writes.removeEmptyFolders(
          sql,
          from.repo,
          rows.filter((row) => row.folder).map((row) => row.path),
        );
      }
      return { files, folders, released };
    });
  }

  referencesTo(sha256: string): Promise<number> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM items WHERE sha256 = $1) + (SELECT count(*) FROM (${PG_STAGED_CONTENT_SQL} AND f.sha256 = $1) s) AS n`,
        [sha256],
      );
      return row?.n ?? 0;
    });
  }

  withChecksum(algorithm: keyof Checksums, hex: string, repos: readonly string[]): Promise<ItemRecord[]> {
    if (repos.length === 0) return Promise.resolve([]);
    const column = { sha256: 'sha256', sha1: 'sha1', md5: 'md5' }[algorithm];
    return this.db.read(async (sql) =>
      (await sql.query<PgItemRow>(`SELECT * FROM items WHERE ${column} = $1 AND repo = ANY($2::text[]) ORDER BY repo, path`, [hex, repos])).map(toItem),
    );
  }
}

export class PgProperties implements PropertyStore {
  constructor(private readonly db: PgDb) {}

  get(repo: string, path: string): Promise<Properties> {
    return this.db.read(async (sql) => {
      const rows = await sql.query<{ key: string; value: string }>('SELECT key, value FROM properties WHERE repo = $1 AND path = $2 ORDER BY key, seq', [
        repo,
        path,
      ]);
      // EDGE-IN-7: a key such as `constructor` or `__proto__` is an own key like any other.
      const properties = emptyProperties();
      for (const { key, value } of rows) addPropertyValues(properties, key, [value]);
      return properties;
    });
  }

  patch(repo: string, paths: readonly string[], patch: Record<string, string[] | null>): Promise<void> {
    return this.db.write(async (sql) => {
      for (const target of paths) {
        for (const [key, values] of Object.entries(patch)) {
          await sql.run('DELETE FROM properties WHERE repo = $1 AND path = $2 AND key = $3', [repo, target, key]);
          if (values) await writes.addProperties(sql, repo, target, { [key]: values });
        }
      }
    });
  }
}
