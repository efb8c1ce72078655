import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPostgres, type PostgresServer } from '../../../test/postgres-server.ts';
import { CLI_TEST_TIMEOUT_MS, edgeproof, serveEdge, type ServedEdge } from '../../../test/served-edge.ts';
import { publishTransaction } from '../../bundles/publication.ts';
import { ConfigError, parseConfig } from '../../config.ts';
import { StartupRefusal } from '../../startup/refusal.ts';
import type { TransactionRecord } from '../bundles.ts';
import type { MetadataStore, NewFile } from '../metadata.ts';
import { openMetadataStore } from '../open-metadata.ts';
import { openSqliteStore } from '../sqlite/sqlite-store.ts';
import { PG_MIGRATIONS } from './pg-migrations.ts';
import { openTransactionOf } from './__fixtures__/open-transaction.ts';
import { openPostgresStore } from './postgres-store.ts';

/** What only a store shared by several processes must get right: migrations, races, ordering, start-up refusals. */

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

const sum = (n: number) => ({ sha256: n.toString(16).padStart(64, '0'), sha1: n.toString(16).padStart(40, '0'), md5: n.toString(16).padStart(32, '0') });
const file = (path: string, n: number): NewFile => ({
  repo: 'r',
  path,
  size: n,
  checksums: sum(n),
  mimeType: 'text/plain',
  by: 'admin',
  at: n,
  properties: {},
});
const REPO = { key: 'r', rclass: 'local', packageType: 'generic', config: {}, created: 1 } as const;

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Two handles on one fresh database, as two nodes of a cluster open it, with repository `r`. */
async function twoNodes(): Promise<{ a: MetadataStore; b: MetadataStore; close(): Promise<void> }> {
  const url = await server.createDatabase();
  const a = await openPostgresStore(url, { poolSize: 4 });
  const b = await openPostgresStore(url, { poolSize: 4 });
  await a.repos.create({ ...REPO });
  return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

describe('EDGE-PG-2: schema migrations', () => {
  it('EDGE-PG-2: nodes starting together on an empty database migrate it once', async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(url, { poolSize: 1 })));
    expect(await query(url, 'SELECT version FROM edgeproof_schema')).toEqual([{ version: PG_MIGRATIONS.length }]);
    await stores[0]?.repos.create({ ...REPO });
    expect((await stores[3]?.repos.list())?.map((r) => r.key)).toEqual(['r']);
    for (const store of stores) await store.close();
  });

  it('EDGE-PG-2: a schema newer than this edgeproof refuses the start and changes nothing', async () => {
    const url = await server.createDatabase();
    await (await openPostgresStore(url)).close();
    await query(url, `UPDATE edgeproof_schema SET version = ${PG_MIGRATIONS.length + 1}`);
    await expect(openPostgresStore(url)).rejects.toThrow(/schema \(v\d+\) is newer than this edgeproof/);
  });
});

describe('EDGE-PG-4: two nodes writing at once behave as if one went first', () => {
  it('EDGE-PG-4: a file and a folder at the same path, deployed through two nodes at once: one wins, the other is ITEM_TYPE_CONFLICT', async () => {
    const { a, b, close } = await twoNodes();
    try {
      for (let i = 0; i < 15; i++) {
        const results = await Promise.allSettled([a.items.putFile(file(`p${i}`, 1)), b.items.putFile(file(`p${i}/x`, 2))]);
        const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code);
        expect(refused).toEqual(['ITEM_TYPE_CONFLICT']);
        const tree = (await a.items.descendants('r', `p${i}`, Infinity)).length;
        const top = await a.items.get('r', `p${i}`);
        // Either a file with nothing below it, or a folder with its file.
        expect(top?.folder ? tree : 0).toBe(top?.folder ? 1 : tree);
      }
    } finally {
      await close();
    }
  });

  const transaction = (id: string, version: string, n: number): TransactionRecord => ({
    ...openTransactionOf(id, version),
    files: [{ repoPath: 'r/same', repo: 'r', path: 'same', sha256: sum(n).sha256, size: n, props: [], state: 'MISSING', checksums: null }],
  });

  it('EDGE-PG-4: two bundles committed through two nodes at once with different content at one path: one is published, the other is EDP_PATH_CONFLICT', async () => {
    for (let round = 0; round < 5; round++) {
      const { a, b, close } = await twoNodes();
      try {
        for (const [store, id, version, n] of [[a, 't1', '1', 1] as const, [b, 't2', '2', 2] as const]) {
          await store.bundles.createTransaction(transaction(id, version, n));
          await store.bundles.markPresent(id, 'r/same', 2, sum(n));
        }
        const results = await Promise.allSettled([publishTransaction(a, 't1', 9, 'uploads'), publishTransaction(b, 't2', 9, 'uploads')]);
        expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code)).toEqual(['EDP_PATH_CONFLICT']);
        const winner = results.findIndex((r) => r.status === 'fulfilled');
        expect((await b.items.get('r', 'same'))?.checksums?.sha256).toBe(sum(winner + 1).sha256);
        expect((await a.bundles.bundles()).map((x) => x.txId)).toEqual([`t${winner + 1}`]);
      } finally {
        await close();
      }
    }
  });

  it('EDGE-PG-3: two nodes starting the same bundle at once: one OPEN transaction, both get its id', async () => {
    const { a, b, close } = await twoNodes();
    try {
      for (let i = 0; i < 10; i++) {
        const ids = await Promise.all([
          a.bundles.createTransaction(transaction(`a${i}`, `v${i}`, 1)),
          b.bundles.createTransaction(transaction(`b${i}`, `v${i}`, 1)),
        ]);
        expect(ids[0]).toBe(ids[1]);
      }
      expect(await a.bundles.transactions('OPEN')).toHaveLength(10);
    } finally {
      await close();
    }
  });
});

describe('EDGE-PG-6: an EDP bundle costs round trips per batch of files, not per file', () => {
  /** The statements sent to the server (each one round trip) while `work` runs. */
  async function statements(work: () => Promise<unknown>): Promise<number> {
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      await work();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it('EDGE-PG-6: starting, committing and deleting a bundle of 2,500 files, two properties each, takes a few dozen statements; reading a file for its upload and marking it PRESENT one each', async () => {
    const url = await server.createDatabase();
    const store = await openPostgresStore(url, { poolSize: 4 });
    try {
      await store.repos.create({ ...REPO });
      const n = 2500;
      const files = Array.from({ length: n }, (_, i) => ({
        repoPath: `r/d${i % 9}/e/${i}`,
        repo: 'r',
        path: `d${i % 9}/e/${i}`,
        sha256: sum(i + 1).sha256,
        size: i + 1,
        props: [
          { key: 'k', values: [String(i)] },
          { key: 'j', values: ['x'] },
        ],
        state: 'MISSING' as const,
        checksums: null,
      }));
      const tx: TransactionRecord = { ...openTransactionOf('t1'), files };
      expect(await statements(() => store.bundles.createTransaction(tx))).toBeLessThanOrEqual(8);
      expect(await statements(() => store.bundles.fileOf('t1', 'r/d0/e/0'))).toBe(1);
      expect(await statements(() => store.bundles.markPresent('t1', 'r/d0/e/0', 2, sum(1)))).toBe(1);
      await Promise.all(files.slice(1).map((f) => store.bundles.markPresent('t1', f.repoPath, 2, sum(f.size))));
      expect(await statements(() => publishTransaction(store, 't1', 9, 'uploads'))).toBeLessThanOrEqual(40);
      expect((await store.items.descendants('r', '', Infinity)).filter((i) => !i.folder)).toHaveLength(n);
      expect(await store.properties.get('r', 'd6/e/2499')).toEqual({ j: ['x'], k: ['2499'] });
      expect((await store.bundles.transaction('t1'))?.files.map((f) => f.repoPath)).toEqual(files.map((f) => f.repoPath));
      expect(await statements(() => store.bundles.deleteBundle(tx.name, tx.version))).toBeLessThanOrEqual(12);
      // EDP-PUB-5: the files and the folders they leave empty are gone.
      expect(await store.items.descendants('r', '', Infinity)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});

it('EDGE-PG-5: children and descendants come in SQLite order (folders first, then byte order), whatever the database collation', async () => {
  // A database whose default collation is not byte order, as a production server's often is.
  const url = server.url('icu_db');
  await server.sql(`CREATE DATABASE icu_db TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
  const pgStore = await openPostgresStore(url);
  const sqlite = openSqliteStore(':memory:');
  try {
    const paths = ['b', 'B', 'a', '_x', 'A/z', 'é', 'e', 'Z', 'a-b', 'a.b', 'a b', '10', '9'];
    for (const store of [pgStore, sqlite]) {
      await store.repos.create({ ...REPO });
      for (const [i, path] of paths.entries()) await store.items.putFile(file(path, i + 1));
    }
    const order = async (store: MetadataStore) => ({
      children: (await store.items.children('r', '')).map((i) => i.path),
      descendants: (await store.items.descendants('r', '', Infinity)).map((i) => i.path),
      repos: (await store.repos.list()).map((r) => r.key),
    });
    expect(await order(pgStore)).toEqual(await order(sqlite));
  } finally {
    await pgStore.close();
    await sqlite.close();
  }
});

describe('EDGE-PG-1: configuration and start-up refusals', () => {
  it('EDGE-PG-1: databaseType postgresql needs a postgres:// databaseUrl; a URL is refused without it', () => {
    expect(() => parseConfig({ databaseType: 'postgresql' })).toThrow(
      new ConfigError("Invalid configuration: 'databaseUrl' is required when databaseType is postgresql"),
    );
    expect(() => parseConfig({ databaseType: 'postgresql', databaseUrl: 'mysql://u:secret@h/d' })).toThrow(
      /^Invalid configuration: 'databaseUrl' must be a postgres:\/\/ URL$/,
    );
    expect(() => parseConfig({ databaseUrl: 'postgres://h/d' })).toThrow(/'databaseUrl' is only used when databaseType is postgresql/);
    expect(() => parseConfig({ databaseType: 'mysql' })).toThrow(/'databaseType' must be one of sqlite, postgresql/);
    expect(parseConfig({})).toMatchObject({ databaseType: 'sqlite', databasePoolSize: 10 });
  });

  it('EDGE-PG-1: an unreachable server or a missing database refuses the start naming the host, never the password', async () => {
    const unreachable = parseConfig({ databaseType: 'postgresql', databaseUrl: 'postgres://edge:s3cret-pw@127.0.0.1:1/edge' });
    const error = await openMetadataStore(unreachable).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupRefusal);
    expect((error as Error).message).toMatch(/^cannot use the PostgreSQL database at 127\.0\.0\.1:1\/edge: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('s3cret');
    const missing = new URL(server.url('no_such_db'));
    missing.username = 'postgres';
    missing.password = 's3cret-pw';
    const refused = await openMetadataStore(parseConfig({ databaseType: 'postgresql', databaseUrl: missing.href })).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/^cannot use the PostgreSQL database at 127\.0\.0\.1:\d+\/no_such_db: database "no_such_db" does not exist$/);
  });

  it(
    'EDGE-PG-1, EDGE-OPS-2: `edgeproof serve` on an unreachable PostgreSQL: one line on stderr, exit code 1, no password anywhere',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-pg-refusal-'));
      try {
        const result = await edgeproof(
          ['serve', '--data-dir', dataDir, '--port', '0', '--database-type', 'postgresql'],
          { EDGEPROOF_DATABASE_URL: 'postgres://edge:s3cret-pw@127.0.0.1:1/edge' },
          { killAfterMs: 30_000 },
        );
        expect(result.code, result.stderr).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(/^edgeproof: cannot use the PostgreSQL database at 127\.0\.0\.1:1\/edge: [^\n]+\n$/);
        expect(result.stderr).not.toContain('s3cret');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

it("EDGE-AUTH-11: while its LISTEN connection is down a node trusts no cached credential (version moves on every read); once back, other nodes' writes reach it again", async () => {
  const { a, b, close } = await twoNodes();
  try {
    const url = server.url();
    const stable = () => {
      const before = a.users.version();
      return a.users.version() === before;
    };
    expect(stable()).toBe(true);
    // The server drops every LISTEN connection, as a restart or a network cut would.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'`);
    await client.end();
    await vi.waitFor(() => expect(stable()).toBe(false), { timeout: 2_000, interval: 10 });
    await vi.waitFor(() => expect(stable()).toBe(true), { timeout: 5_000, interval: 50 });
    const before = a.tokens.version();
    await b.tokens.revoke('nothing', 1);
    await vi.waitFor(() => expect(a.tokens.version()).toBeGreaterThan(before), { timeout: 2_000, interval: 20 });
  } finally {
    await close();
  }
});

it(
  'EDGE-PG-1: two `edgeproof serve` on one PostgreSQL share their metadata, and neither prints the database password',
  async () => {
    const url = new URL(await server.createDatabase());
    url.password = 's3cret-pw';
    const dirs = [await mkdtemp(join(tmpdir(), 'edgeproof-pg-a-')), await mkdtemp(join(tmpdir(), 'edgeproof-pg-b-'))];
    const env = { EDGEPROOF_DATABASE_TYPE: 'postgresql', EDGEPROOF_DATABASE_URL: url.href };
    const edges: ServedEdge[] = [];
    try {
      for (const dir of dirs) edges.push(await serveEdge(['--data-dir', dir, '--admin-password', 'pg-admin-password', '--log-level', 'info'], env));
      const [a, b] = edges as [ServedEdge, ServedEdge];
      const auth = { authorization: `Basic ${Buffer.from('admin:pg-admin-password').toString('base64')}` };
      const created = await fetch(`${a.url}/artifactory/api/repositories/shared`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ rclass: 'local', packageType: 'generic' }),
      });
      expect(created.status).toBeLessThan(300);
      const listed = (await (await fetch(`${b.url}/artifactory/api/repositories`, { headers: auth })).json()) as { key: string }[];
      expect(listed.map((r) => r.key)).toContain('shared');
      for (const edge of edges) expect(edge.output()).not.toContain('s3cret');
    } finally {
      for (const edge of edges) await edge.stop();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    }
  },
  CLI_TEST_TIMEOUT_MS,
);
