import { freshPostgresDatabase, type EdgeConfigInput } from '../../edge/index.ts';
import { TargetUnavailable } from './target.ts';

/** Configuration made for one Edge of a target, and how to release what it took. */
export interface PerEdge {
  config: Partial<EdgeConfigInput>;
  dispose(): Promise<void>;
}

/**
 * EDGE-PG-1: every Edge an embedded target starts keeps its metadata in a database of its own
 * on this PostgreSQL server, created empty (the URL's user needs CREATEDB) and dropped when the
 * Edge is closed, so each Edge starts as fresh as one on a new data directory.
 */
export function postgresPerEdge(serverUrl: string): () => Promise<PerEdge> {
  return async () => {
    const database = await freshPostgresDatabase(serverUrl).catch((error: Error) => {
      throw new TargetUnavailable(`cannot create a database: ${error.message}`);
    });
    return { config: { databaseType: 'postgresql', databaseUrl: database.url }, dispose: database.drop };
  };
}
