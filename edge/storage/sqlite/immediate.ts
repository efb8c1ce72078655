import type Database from 'better-sqlite3';

/**
 * EDGE-CLU-2: every transaction of the store begins IMMEDIATE, taking the write lock at BEGIN.
 * A deferred one that reads and then writes fails at once with SQLITE_BUSY_SNAPSHOT when
 * another process wrote in between (WAL), and no busy timeout helps; an immediate one waits
 * (busy_timeout) for the other writer to finish, then sees its writes. Nested transactions stay
 * savepoints, as before.
 */
export function immediateTransactions(db: Database.Database): Database.Database {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const variants = transaction(fn);
    return Object.assign((...args: never[]) => variants.immediate(...args), variants);
  }) as typeof db.transaction;
  return db;
}
