import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOADS_REPO } from '../edge/index.ts';
import { clientsOf, startEdge } from '../test/edge-harness.ts';
import { CLI_TEST_TIMEOUT_MS, edgeproof } from '../test/served-edge.ts';

/** EDGE-BIN-4: `edgeproof storage rebalance` in a real process, on the shards an Edge wrote. */

let work: string;
let dataDir: string;
const shards = ['a', 'b', 'c'];
let env: Record<string, string>;
const files = Array.from({ length: 12 }, (_, i) => Buffer.from(`file ${i} `.repeat(100 + i)));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-rebalance-'));
  dataDir = join(work, 'data');
  env = { EDGEPROOF_BINARIES_TYPE: 'sharded', EDGEPROOF_BINARIES_SHARDS: shards.map((s) => join(work, s)).join(','), EDGEPROOF_BINARIES_REDUNDANCY: '2' };
  const edge = await startEdge({ binariesType: 'sharded', binariesShards: env.EDGEPROOF_BINARIES_SHARDS, binariesRedundancy: 2 }, { dataDir });
  for (const [i, bytes] of files.entries()) await clientsOf(edge).artifactory.deploy(`${UPLOADS_REPO}/f/${i}.txt`, bytes);
  await edge.close();
}, CLI_TEST_TIMEOUT_MS);
afterAll(() => rm(work, { recursive: true, force: true }));

/** How many shards hold each content. */
async function copies(): Promise<number[]> {
  const count = new Map<string, number>();
  for (const shard of shards) {
    const names = await readdir(join(work, shard), { recursive: true }).catch(() => []);
    for (const name of names.map((n) => n.split('/').pop() ?? '')) if (/^[0-9a-f]{64}$/.test(name)) count.set(name, (count.get(name) ?? 0) + 1);
  }
  return [...count.values()];
}

describe('EDGE-BIN-4: edgeproof storage rebalance', () => {
  it('EDGE-BIN-4: a shard emptied is refilled: each content has two copies again, every copy made is listed', { timeout: CLI_TEST_TIMEOUT_MS }, async () => {
    expect(await copies()).toEqual(files.map(() => 2));
    await rm(join(work, 'b'), { recursive: true });
    const gone = (await copies()).filter((n) => n === 1).length;
    expect(gone).toBeGreaterThan(0);
    const result = await edgeproof(['storage', 'rebalance', '--data-dir', dataDir], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('copied ') && l.endsWith(`-> ${join(work, 'b')}`))).toHaveLength(gone);
    expect(lines.at(-1)).toBe(`${files.length} contents: ${gone} copies made, 0 surplus copies removed, 0 lost`);
    expect(await copies()).toEqual(files.map(() => 2));
    const again = await edgeproof(['storage', 'rebalance', '--data-dir', dataDir], env);
    expect(again.stdout).toBe(`${files.length} contents: 0 copies made, 0 surplus copies removed, 0 lost\n`);
  });

  it('EDGE-BIN-4: refused, in one line, while an Edge serves the data directory', { timeout: CLI_TEST_TIMEOUT_MS }, async () => {
    const edge = await startEdge({ binariesType: 'sharded', binariesShards: env.EDGEPROOF_BINARIES_SHARDS }, { dataDir });
    try {
      const result = await edgeproof(['storage', 'rebalance', '--data-dir', dataDir], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^edgeproof: data directory .* is in use by another Edge \(PID \d+\)\n$/);
    } finally {
      await edge.close();
    }
  });

  it('EDGE-BIN-4: with two of three shards gone, the content only they held is reported lost and the exit code is 1', {
    timeout: CLI_TEST_TIMEOUT_MS,
  }, async () => {
    await rm(join(work, 'a'), { recursive: true });
    await rm(join(work, 'b'), { recursive: true });
    const survivors = (await copies()).length;
    const result = await edgeproof(['storage', 'rebalance', '--data-dir', dataDir], env);
    expect(result.code).toBe(1);
    const lost = files.length - survivors;
    expect(lost).toBeGreaterThan(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('lost '))).toHaveLength(lost);
    expect(result.stderr).toBe(`edgeproof: ${lost} contents are lost\n`);
  });
});
