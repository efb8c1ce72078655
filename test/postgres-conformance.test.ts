import { afterAll, beforeAll } from 'vitest';
import { embeddedTarget, postgresPerEdge, selectedScenarios, SUITE } from '../scenarios/index.ts';
import { startPostgres, type PostgresServer } from './postgres-server.ts';
import { describeScenarios } from './scenario-suite.ts';

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

describeScenarios(
  'conformance on PostgreSQL: core, edp and trust profiles',
  selectedScenarios(SUITE, { profiles: ['core', 'edp', 'trust'], level: 'MAY' }),
  { runs: 3, timeoutMs: 120_000, target: () => embeddedTarget({ perEdge: postgresPerEdge(server.url()), label: 'embedded edgeproof Edge on PostgreSQL' }) },
);
