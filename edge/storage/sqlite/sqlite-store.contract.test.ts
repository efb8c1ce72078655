import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMetadataStoreContract } from '../__fixtures__/metadata.contract.ts';
import { openSqliteStore } from './sqlite-store.ts';

describeMetadataStoreContract('SQLite in a temp directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-metadata-'));
  const store = openSqliteStore(join(dir, 'metadata.db'));
  const others: ReturnType<typeof openSqliteStore>[] = [];
  return {
    store,
    async another(options) {
      const other = openSqliteStore(join(dir, 'metadata.db'), options);
      others.push(other);
      return other;
    },
    async dispose() {
      for (const other of others) await other.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeMetadataStoreContract('SQLite in memory', async () => {
  const store = openSqliteStore(':memory:');
  return { store, dispose: () => store.close() };
});

// The write hook is a seam every write passes through; with it in place the store keeps its promises.
describeMetadataStoreContract('SQLite with a write hook', async () => {
  const store = openSqliteStore(':memory:', { beforeWrite: () => undefined });
  return { store, dispose: () => store.close() };
});
