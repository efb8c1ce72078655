import pg from 'pg';
import { startPostgres } from '../../../../test/postgres-server.ts';
import { publishTransaction } from '../../../bundles/publication.ts';
import type { TransactionRecord } from '../../bundles.ts';
import { openPostgresStore } from '../postgres-store.ts';
import { openTransactionOf } from './open-transaction.ts';

/**
 * EDGE-PG-6, measured (a script, not a test; beside the store, as bench/ may use the Edge only
 * from outside): the metadata cost of one EDP bundle on PostgreSQL (issue #14), without HTTP or bytes: a
 * transaction of N files, each read and marked PRESENT as its upload lands (8 at a time, as
 * Distribution sends them), then the commit, then the bundle's deletion. Counts the statements sent to the server (each one round trip),
 * on a durable throwaway server (fsync on, as in production).
 *
 *   node --import tsx edge/storage/postgres/__fixtures__/commit-cost.ts [--files 2000] [--props 2]
 *
 * End to end through `edgeproof serve`: `npm run bench -- --only bundle-ingest --database-url URL`.
 */
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const files = arg('--files', 2000);
const props = arg('--props', 2);

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const server = await startPostgres({ durable: true });
try {
  const store = await openPostgresStore(await server.createDatabase(), { poolSize: 10 });
  await store.repos.create({ key: 'r', rclass: 'local', packageType: 'generic', config: {}, created: 1 });
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const tx: TransactionRecord = {
    ...openTransactionOf('bench'),
    files: Array.from({ length: files }, (_, i) => {
      const path = `d${i % 20}/sub/${hex(i, 5)}.bin`;
      const values = Array.from({ length: props }, (_, v) => ({ key: `k${v}`, values: [`${i}-${v}`] }));
      return { repoPath: `r/${path}`, repo: 'r', path, sha256: hex(i + 1, 64), size: i + 1, props: values, state: 'MISSING' as const, checksums: null };
    }),
  };
  await store.bundles.createTransaction(tx);

  let t0 = performance.now();
  statements = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < files) {
        const i = next++;
        const f = tx.files[i] as TransactionRecord['files'][number];
        // What an upload reads before its bytes (EdpService: the transaction and the file).
        await store.bundles.fileOf(tx.id, f.repoPath);
        await store.bundles.markPresent(tx.id, f.repoPath, 2, { sha256: f.sha256, sha1: hex(i + 1, 40), md5: hex(i + 1, 32) });
      }
    }),
  );
  const ingest = { ms: Math.round(performance.now() - t0), statementsPerFile: statements / files };

  t0 = performance.now();
  statements = 0;
  await publishTransaction(store, tx.id, 9, 'uploads');
  const commit = { ms: Math.round(performance.now() - t0), statements };
  const items = (await store.items.descendants('r', '', Infinity)).filter((i) => !i.folder).length;

  t0 = performance.now();
  statements = 0;
  const released = await store.bundles.deleteBundle(tx.name, tx.version);
  const deletion = {
    ms: Math.round(performance.now() - t0),
    statements,
    released: released.length,
    left: (await store.items.descendants('r', '', Infinity)).length,
  };
  console.log(JSON.stringify({ files, propsPerFile: props, upload: ingest, commit, publishedFiles: items, deleteBundle: deletion }));
  await store.close();
} finally {
  await server.stop();
}
