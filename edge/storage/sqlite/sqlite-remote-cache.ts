import type Database from 'better-sqlite3';
import type { ItemRecord, NewFile, RemoteCacheStore, RemoteOrigin } from '../metadata.ts';

type Db = Database.Database;

/**
 * EDGE-SR-12, EDGE-SR-15: one row per cached file of a smart remote. It goes with its item
 * (a delete, a cache removal, the repository's removal), so an origin never outlives its file.
 */
export const REMOTE_ORIGINS_MIGRATION = `
  CREATE TABLE remote_origins (
    repo          TEXT NOT NULL,
    path          TEXT NOT NULL,
    remote_url    TEXT NOT NULL,
    checked       INTEGER NOT NULL,
    origin_absent INTEGER NOT NULL CHECK (origin_absent IN (0, 1)),
    PRIMARY KEY (repo, path),
    FOREIGN KEY (repo, path) REFERENCES items (repo, path) ON DELETE CASCADE ON UPDATE CASCADE
  ) WITHOUT ROWID;
`;

interface OriginRow {
  remote_url: string;
  checked: number;
  origin_absent: 0 | 1;
}

export class SqliteRemoteCache implements RemoteCacheStore {
  constructor(
    private readonly db: Db,
    /** The item store's own file write, so a cached file is stored exactly as a deployed one. */
    private readonly putFileNow: (file: NewFile) => { replaced: ItemRecord | undefined },
  ) {}

  async putCached(file: NewFile, origin: RemoteOrigin): Promise<{ replaced: ItemRecord | undefined }> {
    return this.db.transaction(() => {
      const result = this.putFileNow(file);
      this.db
        .prepare(
          `INSERT INTO remote_origins (repo, path, remote_url, checked, origin_absent) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (repo, path) DO UPDATE SET remote_url = excluded.remote_url, checked = excluded.checked, origin_absent = excluded.origin_absent`,
        )
        .run(file.repo, file.path, origin.remoteUrl, origin.checked, origin.originAbsent ? 1 : 0);
      return result;
    })();
  }

  async origin(repo: string, path: string): Promise<RemoteOrigin | undefined> {
    const row = this.db.prepare('SELECT remote_url, checked, origin_absent FROM remote_origins WHERE repo = ? AND path = ?').get(repo, path) as
      | OriginRow
      | undefined;
    return row && { remoteUrl: row.remote_url, checked: row.checked, originAbsent: row.origin_absent === 1 };
  }

  async markChecked(repo: string, path: string, at: number, originAbsent: boolean): Promise<void> {
    this.db.prepare('UPDATE remote_origins SET checked = ?, origin_absent = ? WHERE repo = ? AND path = ?').run(at, originAbsent ? 1 : 0, repo, path);
  }
}
