import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetaStore } from '../storage/metadata.ts';
import { DOWN_AFTER_MS, loadNodeId, NodePresence } from './node-presence.ts';

/** The shared meta table, as two nodes see it. */
function sharedMeta(): MetaStore {
  const rows = new Map<string, string>();
  return {
    get: async (key) => rows.get(key),
    setIfAbsent: async (key, value) => {
      if (!rows.has(key)) rows.set(key, value);
      return rows.get(key) as string;
    },
    put: async (key, value) => void rows.set(key, value),
    withPrefix: async (prefix) => [...rows].filter(([key]) => key.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('node presence', () => {
  it('EDGE-HA-2: a node not seen for 15 s is DOWN, one that stopped cleanly is DOWN at once, the one answering is RUNNING', async () => {
    let clock = 1_000_000;
    const meta = sharedMeta();
    const a = new NodePresence('a', meta, () => clock);
    const b = new NodePresence('b', meta, () => clock);
    const c = new NodePresence('c', meta, () => clock);
    for (const node of [a, b, c]) await node.beat();
    expect((await a.nodes()).map((n) => `${n.id}:${n.state}`)).toEqual(['a:RUNNING', 'b:RUNNING', 'c:RUNNING']);

    clock += DOWN_AFTER_MS;
    await c.beat();
    expect((await a.nodes()).map((n) => `${n.id}:${n.state}`)).toEqual(['a:RUNNING', 'b:RUNNING', 'c:RUNNING']);
    clock += 1;
    expect((await a.nodes()).map((n) => `${n.id}:${n.state}`)).toEqual(['a:RUNNING', 'b:DOWN', 'c:RUNNING']);
    await c.stop();
    expect((await a.nodes()).map((n) => `${n.id}:${n.state}`)).toEqual(['a:RUNNING', 'b:DOWN', 'c:DOWN']);
  });

  it('EDGE-HA-1: the node id is the configured one, else one made per data directory and kept', async () => {
    const [one, two] = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'edgeproof-node-id-'))));
    dirs.push(one as string, two as string);
    expect(await loadNodeId(one as string, 'node-7')).toBe('node-7');
    const made = await loadNodeId(one as string, undefined);
    expect(made).toMatch(/^edge-[0-9a-f]{10}$/);
    expect(await loadNodeId(one as string, undefined)).toBe(made);
    expect((await readFile(join(one as string, 'node.id'), 'utf8')).trim()).toBe(made);
    expect(await loadNodeId(two as string, undefined)).not.toBe(made);
  });
});
