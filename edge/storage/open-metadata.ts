import { join } from 'node:path';
import type { EdgeConfig } from '../config.ts';
import type { MetadataStore } from './metadata.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { BeforeWrite } from './sqlite/write-hook.ts';

/** Test seams a metadata store honours; never set from configuration or HTTP. */
export interface MetadataSeams {
  beforeWrite?: BeforeWrite | undefined;
}

/** The metadata store the configuration names: the one place that chooses among implementations. */
export async function openMetadataStore(config: EdgeConfig, seams: MetadataSeams = {}): Promise<MetadataStore> {
  // EDGE-PG-1: a shared PostgreSQL; the config schema made sure the URL is there.
  if (config.databaseType === 'postgresql') {
    // Loaded on use: an Edge on SQLite starts without loading the PostgreSQL driver.
    const { openPostgresStore } = await import('./postgres/postgres-store.ts');
    return openPostgresStore(config.databaseUrl as string, { poolSize: config.databasePoolSize, beforeWrite: seams.beforeWrite });
  }
  return openSqliteStore(join(config.dataDir, 'metadata.db'), { beforeWrite: seams.beforeWrite });
}
