import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeDatabase } from './database-label.ts';

/** An empty database on a PostgreSQL server, and how to drop it. */
export interface FreshDatabase {
  /** The server's URL with this database's name in it. */
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the server `serverUrl` points to (its user needs CREATEDB), for
 * an Edge that must start as fresh as on a new data directory: the harness's embedded Edges
 * and the benchmarks. Failures name the server, never the password.
 */
export async function freshPostgresDatabase(serverUrl: string): Promise<FreshDatabase> {
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      await client.query(statement);
    } catch (error) {
      throw new Error(`PostgreSQL server at ${describeDatabase(serverUrl)}: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const name = `edgeproof_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
