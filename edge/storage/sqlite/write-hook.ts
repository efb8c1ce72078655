import type Database from 'better-sqlite3';

/**
 * Called before every write statement the metadata store runs, with its SQL. Throwing stops the
 * statement as a failing disk would (SQLite rolls the open transaction back). Tests use it to
 * fail a commit at each of its writes and to cut the power; it is passed in code only
 * (`openSqliteStore`'s options, `createEdge`'s), never from configuration or HTTP.
 */
export type BeforeWrite = (sql: string) => void;

/**
 * The database with `hook` in front of `Statement.run`, the only way the store writes outside
 * migrations. Everything else is the database itself, so the store cannot tell the difference.
 */
export function withWriteHook(db: Database.Database, hook: BeforeWrite): Database.Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (sql: string) => hookedStatement(target.prepare(sql), sql, hook);
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function hookedStatement(statement: Database.Statement, sql: string, hook: BeforeWrite): Database.Statement {
  return new Proxy(statement, {
    get(target, property) {
      if (property === 'run') {
        return (...params: unknown[]) => {
          hook(sql);
          return target.run(...params);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
