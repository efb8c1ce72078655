import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_PROCESS_ENV } from '../edge/index.ts';
import { CLI_TEST_TIMEOUT_MS, runProcess } from './served-edge.ts';

/*
 * Issue #13: a default Edge (SQLite + its own filestore) holds in memory only what it uses. The
 * object-store and PostgreSQL clients are tens of MiB of code each, so they load only when the
 * configuration names them; this starts a default Edge in a process of its own and reads the
 * packages it loaded from Node's module cache (the SDKs are CommonJS, so all of them show there).
 */
const ROOT = join(import.meta.dirname, '..');
const EDGE_ENTRY = join(ROOT, 'edge', 'index.ts');
const PACKAGE = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//;

const startAndList = `
import { createRequire } from 'node:module';
const { createEdge, resolveConfig } = await import(${JSON.stringify(EDGE_ENTRY)});
const edge = await createEdge(resolveConfig({ flags: { dataDir: process.env.DATA_DIR, port: '0', logLevel: 'silent', adminPassword: 'modules-test-password' } }));
await edge.listen();
const loaded = Object.keys(createRequire(import.meta.url).cache);
await edge.close();
process.stdout.write(JSON.stringify(loaded));
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgeproof-modules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a default Edge', () => {
  it(
    'loads neither the S3, Azure nor PostgreSQL client',
    async () => {
      const run = await runProcess(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', startAndList], { DATA_DIR: join(dir, 'data') });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const packages = new Set((JSON.parse(run.stdout) as string[]).map((file) => PACKAGE.exec(file)?.[1]).filter((name) => name !== undefined));
      // The probe sees what the Edge does load: its SQLite driver.
      expect(packages).toContain('better-sqlite3');
      const optional = [...packages].filter((name) => /^(@aws-sdk\/|@smithy\/|@azure\/|pg$|pg-)/.test(name));
      expect(optional).toEqual([]);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

const GROWN_NEW_SPACE = `const kept = [];
for (let i = 0; i < 3e6; i++) kept.push({ i });
console.log(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);`;

describe('the process environment (edge/startup/process-env.ts)', () => {
  it('is the one the image and npm start give the Edge', async () => {
    const assignments = Object.entries(EDGE_PROCESS_ENV).map(([name, value]) => `${name}=${value}`);
    const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    expect(/^ENV (.*)$/m.exec(dockerfile)?.[1]?.split(' ')).toEqual(assignments);
    const { scripts } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toBe(`${assignments.join(' ')} node bin/edgeproof.js serve`);
  });

  it('is one node accepts, and gives V8 the young generation it names', async () => {
    // Surviving garbage grows the new space to its limit (32 MiB by V8's default, measured).
    // A flag NODE_OPTIONS refuses stops node before the Edge starts: exit 9.
    const run = await runProcess(process.execPath, ['-e', GROWN_NEW_SPACE], { ...EDGE_PROCESS_ENV });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // 2 MiB semi-spaces: the new space is at most two of them (V8's default is 2 × 16 MiB).
    expect(Number(run.stdout)).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});
