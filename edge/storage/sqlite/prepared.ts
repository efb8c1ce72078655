import type Database from 'better-sqlite3';

/**
 * Statements compiled once per connection, for the paths every ingested file takes: compiling
 * them on every call was a twentieth of the Edge's CPU on a bundle of small files (issue #13).
 * Only for statements run with `get`, `all` or `run`: `pluck`, `raw` and `expand` would change the
 * shared statement for every other user of the same SQL.
 */
export function preparedOnce(db: Database.Database): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}
