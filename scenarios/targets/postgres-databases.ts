import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { EdgeConfigInput } from '../../edge/index.ts';
import { TargetUnavailable } from './target.ts';

/** Configuration made for one Edge of a target, and how to release what it took. */
export interface PerEdge {
  config: Partial<EdgeConfigInput>;
  dispose(): Promise<void>;
}

/** host:port/database of a URL, for messages and reports: never its user or password. */
export function databaseLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/**
 * EDGE-PG-1: every Edge an embedded target starts keeps its metadata in a database of its own
 * on this PostgreSQL server, created empty (the URL's user needs CREATEDB) and dropped when the
 * Edge is closed, so each Edge starts as fresh as one on a new data directory.
 */
export function postgresPerEdge(serverUrl: string): () => Promise<PerEdge> {
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      return await work(client);
    } catch (error) {
      throw new TargetUnavailable(`cannot create a database on the PostgreSQL server at ${databaseLabel(serverUrl)}: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return async () => {
    const name = `edgeproof_${randomBytes(6).toString('hex')}`;
    await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      config: { databaseType: 'postgresql', databaseUrl: url.href },
      dispose: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    };
  };
}
