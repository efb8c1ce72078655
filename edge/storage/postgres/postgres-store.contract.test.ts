import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../test/postgres-server.ts';
import { describeMetadataStoreContract } from '../__fixtures__/metadata.contract.ts';
import type { MetadataStore } from '../metadata.ts';
import { openPostgresStore } from './postgres-store.ts';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
  // Migrated once; each test clones it, which is much faster than migrating again.
  await server.sql('CREATE DATABASE edgeproof_template');
  await (await openPostgresStore(server.url('edgeproof_template'))).close();
}, 60_000);
afterAll(() => server?.stop());

describeMetadataStoreContract('PostgreSQL', async () => {
  const url = await server.createDatabase('edgeproof_template');
  const store = await openPostgresStore(url, { poolSize: 4 });
  const others: MetadataStore[] = [];
  return {
    store,
    async another(options) {
      const other = await openPostgresStore(url, { poolSize: 4, ...options });
      others.push(other);
      return other;
    },
    async dispose() {
      for (const other of others) await other.close();
      await store.close();
    },
  };
});
