import pg from 'pg';
import type { BeforeWrite } from '../sqlite/write-hook.ts';

/**
 * The connection pool and the one way the store talks to PostgreSQL: every interface method is
 * one database transaction (`read` or `write`), so each keeps the atomicity SQLite gave it.
 */

// Times (ms), sizes and counts are BIGINT; each stays below 2^53, so a JS number holds it.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A connection inside a transaction; `query` is the only way statements are run. */
export interface Sql {
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** The number of rows a write changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

export type Isolation = 'READ COMMITTED' | 'SERIALIZABLE';

// 40001: could not serialize; 40P01: deadlock detected. Either way nothing was written, and the
// same work on a fresh snapshot decides again.
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 20;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt));

export class PgDb {
  readonly pool: pg.Pool;

  constructor(
    readonly connectionString: string,
    poolSize: number,
    private readonly beforeWrite?: BeforeWrite,
  ) {
    // A server that never answers (a dropped route) fails a checkout in 10 s rather than hanging a request, or the start, forever.
    this.pool = new pg.Pool({ connectionString, max: poolSize, types, connectionTimeoutMillis: 10_000 });
    // An idle connection the server dropped is replaced on the next checkout; it must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /**
   * A read: each statement on its own (one round trip, no BEGIN/COMMIT), which is all a read
   * needs here: what one write makes visible, it makes visible at once (a transaction's row
   * comes with its files), so no read method relies on two statements seeing one snapshot.
   */
  read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return work(this.#reads);
  }

  readonly #reads: Sql = {
    query: async <R extends object>(text: string, params: readonly unknown[] = []) => (await this.pool.query<R>(text, params as unknown[])).rows,
    run: async () => {
      throw new Error('a read runs no writes');
    },
  };

  /**
   * EDGE-PG-4: a write. SERIALIZABLE (the default) stands in for SQLite's single writer: two nodes
   * deploying, staging or publishing at the same paths behave as if one went first, the loser
   * being retried on a fresh snapshot. READ COMMITTED suits writes that take row locks first.
   */
  write<T>(work: (sql: Sql) => Promise<T>, isolation: Isolation = 'SERIALIZABLE'): Promise<T> {
    return this.#transaction(isolation, work);
  }

  /**
   * A write that is one statement, atomic on its own: no BEGIN and COMMIT around it, so one round
   * trip (EDGE-PG-6). It runs at the server's default isolation (READ COMMITTED), so it suits
   * statements that take their row locks as they go; retried as `write` is.
   */
  async statement<R extends object>(text: string, params: readonly unknown[]): Promise<R[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.beforeWrite?.(text);
        return (await this.pool.query<R>(text, params as unknown[])).rows;
      } catch (error) {
        if (attempt < ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) {
          await pause(attempt);
          continue;
        }
        throw error;
      }
    }
  }

  async #transaction<T>(mode: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${mode}`);
        const result = await work(this.#sql(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').then(
          () => client.release(),
          (lost: Error) => client.release(lost),
        );
        if (attempt < ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) {
          await pause(attempt);
          continue;
        }
        throw error;
      }
    }
  }

  #sql(client: pg.PoolClient): Sql {
    const hook = this.beforeWrite;
    const query = async <R extends object>(text: string, params: readonly unknown[] = []) => {
      if (hook && /^\s*(INSERT|UPDATE|DELETE)/i.test(text)) hook(text);
      return client.query<R>(text, params as unknown[]);
    };
    return {
      query: async <R extends object>(text: string, params?: readonly unknown[]) => (await query<R>(text, params)).rows,
      run: async (text, params) => (await query(text, params)).rowCount ?? 0,
    };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
