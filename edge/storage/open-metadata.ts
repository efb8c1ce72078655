import { join } from 'node:path';
import type { EdgeConfig } from '../config.ts';
import type { MetadataStore } from './metadata.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
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
    return openPostgresStore(config.databaseUrl as string, { poolSize: config.databasePoolSize, beforeWrite: seams.beforeWrite });
  }
  return openSqliteStore(join(config.dataDir, 'metadata.db'), { beforeWrite: seams.beforeWrite });
}
