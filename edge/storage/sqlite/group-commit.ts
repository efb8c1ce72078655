import type Database from 'better-sqlite3';
import { preparedOnce } from './prepared.ts';

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * EDGE-DUR-4: writes that arrive together are committed together. With `synchronous = FULL`
 * every commit is an fsync of the WAL, on the event loop's thread (better-sqlite3 is
 * synchronous): one commit per ingested file held every other request still for as long. Here
 * a write waits for the end of the current turn of the event loop, and every write queued by
 * then goes into ONE transaction, each in its own savepoint so that one refused write (a closed
 * transaction, a file where a folder must be) fails alone. A write's promise settles only once
 * the transaction holding it has committed: a caller that answers 2xx after it answers for
 * something durable. While the commit's fsync runs, the requests whose staged bytes were
 * synced meanwhile queue up and form the next group, so groups grow with the load.
 *
 * BEGIN, the savepoints and COMMIT are statements like any other write, so the store's write
 * hook (the power-loss tests' switch) sees the commit itself as a point where power can fail.
 */
export class GroupCommit {
  #pending: Pending[] = [];
  #scheduled = false;
  readonly #statement: (sql: string) => Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.#statement = preparedOnce(db);
  }

  /** Runs `write` in the next group; resolves with its result once the group is committed. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const group = this.#pending;
    this.#pending = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.#statement('BEGIN IMMEDIATE').run();
      try {
        for (const item of group) outcomes.push(this.#one(item));
        this.#statement('COMMIT').run();
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      // Nothing of the group is committed: every write in it fails, refused or not.
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i] as (typeof outcomes)[number];
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  #one(item: Pending): { ok: true; value: unknown } | { ok: false; error: unknown } {
    this.#statement('SAVEPOINT grouped').run();
    try {
      const value = item.write();
      this.#statement('RELEASE grouped').run();
      return { ok: true, value };
    } catch (error) {
      // A failing disk or a power cut stops the whole group; a refusal stops this write only.
      if (!this.db.inTransaction) throw error;
      this.db.exec('ROLLBACK TO grouped; RELEASE grouped');
      if (isIoFailure(error)) throw error;
      return { ok: false, error };
    }
  }
}

/** Errors of the disk under the database, real (SQLITE_IOERR…) or simulated (EIO). */
function isIoFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code === 'EIO' || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code === 'SQLITE_CORRUPT');
}
