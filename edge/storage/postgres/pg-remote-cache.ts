import type { ItemRecord, NewFile, RemoteCacheStore, RemoteOrigin } from '../metadata.ts';
import type { PgDb } from './pg-db.ts';
import { putFileIn } from './pg-items.ts';

/** EDGE-SR-12, EDGE-SR-15: sqlite-remote-cache.ts in PostgreSQL; an origin goes with its item. */
export class PgRemoteCache implements RemoteCacheStore {
  constructor(private readonly db: PgDb) {}

  putCached(file: NewFile, origin: RemoteOrigin): Promise<{ replaced: ItemRecord | undefined }> {
    return this.db.write(async (sql) => {
      const result = await putFileIn(sql, file);
      await sql.run(
        `INSERT INTO remote_origins (repo, path, remote_url, checked, origin_absent) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (repo, path) DO UPDATE SET remote_url = excluded.remote_url, checked = excluded.checked, origin_absent = excluded.origin_absent`,
        [file.repo, file.path, origin.remoteUrl, origin.checked, origin.originAbsent],
      );
      return result;
    });
  }

  origin(repo: string, path: string): Promise<RemoteOrigin | undefined> {
    return this.db.read(async (sql) => {
      const [row] = await sql.query<{ remote_url: string; checked: number; origin_absent: boolean }>(
        'SELECT remote_url, checked, origin_absent FROM remote_origins WHERE repo = $1 AND path = $2',
        [repo, path],
      );
      return row && { remoteUrl: row.remote_url, checked: row.checked, originAbsent: row.origin_absent };
    });
  }

  async markChecked(repo: string, path: string, at: number, originAbsent: boolean): Promise<void> {
    await this.db.write((sql) =>
      sql.run('UPDATE remote_origins SET checked = $1, origin_absent = $2 WHERE repo = $3 AND path = $4', [at, originAbsent, repo, path]),
    );
  }
}
