import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedTarget, postgresPerEdge, selectedScenarios, SUITE } from '../scenarios/index.ts';
import { startPostgres, type PostgresServer } from './postgres-server.ts';
import { describeScenarios } from './scenario-suite.ts';
import { CLI_TEST_TIMEOUT_MS, edgeproof } from './served-edge.ts';

/**
 * EDGE-PG-1: the Edge with its metadata on PostgreSQL passes the conformance scenarios of the
 * profiles that exercise the metadata store (items, properties, users and permissions, tokens,
 * transactions and bundles), exactly as `edgeproof conformance --database-url` runs them. One
 * server for the file; each Edge gets a database of its own. (The smart-remote, read-only and
 * packages profiles pass too — see docs/decisions/0023 — but add minutes, not coverage.)
 */

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

describeScenarios('conformance on PostgreSQL: core, edp and trust profiles', selectedScenarios(SUITE, { profiles: ['core', 'edp', 'trust'], level: 'MAY' }), {
  runs: 3,
  timeoutMs: 120_000,
  target: () => embeddedTarget({ perEdge: postgresPerEdge(server.url()), label: 'embedded edgeproof Edge on PostgreSQL' }),
});

describe('edgeproof conformance --database-url', () => {
  it(
    'EDGE-PG-1: runs the embedded Edges on PostgreSQL, a fresh database each, and says so in the report without the password',
    async () => {
      const out = await mkdtemp(join(tmpdir(), 'edgeproof-conformance-pg-'));
      try {
        const serverUrl = new URL(server.url());
        serverUrl.password = 'unused-by-trust-auth';
        const before = await databases();
        const run = await edgeproof(
          [
            'conformance',
            '--database-url',
            serverUrl.href,
            '--grep',
            '^(system/ping|edp/visible-only-after-commit)$',
            '--seed',
            '7',
            '--out',
            out,
            '--report',
            'json',
          ],
          {},
          { killAfterMs: 120_000 },
        );
        expect(run.code, run.stderr.slice(-3000)).toBe(0);
        expect(run.stderr).toMatch(/^edgeproof conformance: 2 scenarios against embedded edgeproof Edge on PostgreSQL, seed 7$/m);
        const result = await readFile(join(out, 'result.json'), 'utf8');
        expect(result).toContain(`"database": "postgresql 127.0.0.1:${serverUrl.port}/postgres"`);
        expect(result).not.toContain('unused-by-trust-auth');
        expect(await databases()).toEqual(before);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'EDGE-PG-1: a server that cannot be reached stops the run in one line (exit code 2)',
    async () => {
      const run = await edgeproof(
        ['conformance', '--database-url', 'postgres://u:s3cret@127.0.0.1:1/postgres', '--grep', '^system/ping$'],
        {},
        { killAfterMs: 60_000 },
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^edgeproof: cannot create a database: PostgreSQL server at 127\.0\.0\.1:1\/postgres: .*ECONNREFUSED.*\n$/);
      expect(run.stderr).not.toContain('s3cret');
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

/** The databases on the server: the run drops the ones it made. */
async function databases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: server.url() });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY datname')).rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}
