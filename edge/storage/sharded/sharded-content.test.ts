import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ContentReferences } from '../content.ts';
import { shardedContent } from './__fixtures__/sharded-kit.ts';
import { rendezvousOrder } from './rendezvous.ts';

const limits = { maxBytes: 1024, tooLarge: (max: number) => new EdgeError('BODY_TOO_LARGE', `over ${max}`) };
/** Every content stored is referenced, as the metadata would have it. */
const recorded = new Set<string>();
const everything: ContentReferences = { referencesTo: async () => 1, referencedContent: async () => new Set(recorded) };
const bodies = Array.from({ length: 24 }, (_, i) => `content number ${i} `.repeat(i + 1));

async function* one(body: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(body);
}

describe('EDGE-BIN-4: sharded filestore', () => {
  let kit: Awaited<ReturnType<typeof shardedContent>>;
  afterEach(async () => {
    recorded.clear();
    await kit.dispose();
  });

  async function storeAll(): Promise<Map<string, string>> {
    const stored = new Map<string, string>();
    for (const body of bodies) {
      const staged = await kit.content.stage(one(body), limits);
      await kit.content.commit(staged, async () => void recorded.add(staged.checksums.sha256));
      stored.set(staged.checksums.sha256, body);
    }
    return stored;
  }

  /** The shards holding a copy of `sha256`. */
  async function holders(sha256: string): Promise<string[]> {
    const found: string[] = [];
    for (const shard of kit.shards) if (await shard.files.has(sha256)) found.push(shard.name);
    return found;
  }

  it('EDGE-BIN-4: each content is on exactly `redundancy` shards, the first of its rendezvous order, spread over all shards', async () => {
    kit = await shardedContent(everything);
    const stored = await storeAll();
    const perShard = new Map<string, number>();
    for (const sha256 of stored.keys()) {
      const expected = rendezvousOrder(kit.shards, sha256)
        .slice(0, 2)
        .map((s) => s.name);
      expect((await holders(sha256)).sort()).toEqual(expected.sort());
      for (const name of expected) perShard.set(name, (perShard.get(name) ?? 0) + 1);
    }
    expect(perShard.size).toBe(3);
  });

  it('EDGE-BIN-4: with a whole shard directory gone every content still reads whole; rebalance restores two copies and says what it copied', async () => {
    kit = await shardedContent(everything);
    const stored = await storeAll();
    const gone = kit.shards[1]?.name ?? '';
    const lostCopies = [...stored.keys()].filter((sha) =>
      rendezvousOrder(kit.shards, sha)
        .slice(0, 2)
        .some((s) => s.name === gone),
    );
    await rm(gone, { recursive: true });
    for (const [sha256, body] of stored) expect(await text(kit.content.read(sha256, body.length))).toBe(body);
    // Writes go on: the next shard in the order takes the copy the gone one would have.
    const late = await kit.content.stage(one('written while a shard is gone'), limits);
    await kit.content.commit(late, async () => undefined);
    expect(await holders(late.checksums.sha256)).toHaveLength(2);

    const report = await (await kit.reopen()).rebalance();
    expect(report.lost).toEqual([]);
    expect(
      report.copied
        .filter((c) => c.to === gone)
        .map((c) => c.sha256)
        .sort(),
    ).toEqual(
      [
        ...lostCopies,
        ...(rendezvousOrder(kit.shards, late.checksums.sha256)
          .slice(0, 2)
          .some((s) => s.name === gone)
          ? [late.checksums.sha256]
          : []),
      ].sort(),
    );
    for (const sha256 of [...stored.keys(), late.checksums.sha256]) {
      expect((await holders(sha256)).sort()).toEqual(
        rendezvousOrder(kit.shards, sha256)
          .slice(0, 2)
          .map((s) => s.name)
          .sort(),
      );
    }
    expect((await (await kit.reopen()).rebalance()).copied).toEqual([]);
  });

  it('EDGE-BIN-4: with as many shards gone as copies, the content they held fails to read (CONTENT_DAMAGED), never a short body', async () => {
    kit = await shardedContent(everything);
    const stored = await storeAll();
    const [a, b] = kit.shards;
    await rm(a?.name ?? '', { recursive: true });
    await rm(b?.name ?? '', { recursive: true });
    let lost = 0;
    for (const [sha256, body] of stored) {
      const onGoneOnly = rendezvousOrder(kit.shards, sha256)
        .slice(0, 2)
        .every((s) => s === a || s === b);
      if (onGoneOnly) {
        lost++;
        await expect(text(kit.content.read(sha256, body.length))).rejects.toMatchObject({ code: 'CONTENT_DAMAGED' });
      } else expect(await text(kit.content.read(sha256, body.length))).toBe(body);
    }
    expect(lost).toBeGreaterThan(0);
    expect((await (await kit.reopen()).rebalance()).lost).toHaveLength(lost);
  });

  it('EDGE-BIN-4, EDGE-DUR-3: a damaged copy (wrong size) is passed over for a sound one; rebalance replaces it from a copy whose SHA-256 checks out', async () => {
    kit = await shardedContent(everything);
    const stored = await storeAll();
    const [sha256, body] = [...stored][5] ?? ['', ''];
    const [first, second] = rendezvousOrder(kit.shards, sha256);
    if (!first || !second) throw new Error('three shards');
    await writeFile(first.files.pathOf(sha256), 'damaged');
    expect(await text(kit.content.read(sha256, body.length, { start: 1, end: 4 }))).toBe(body.slice(1, 5));
    const report = await (await kit.reopen()).rebalance();
    expect(report.copied).toEqual([{ sha256, from: second.name, to: first.name }]);
    expect(await text(first.files.read(sha256, body.length))).toBe(body);
  });

  it('EDGE-BIN-2: openStaging spools locally, read back as it grows; the shards get the bytes at finish and the spool file goes', async () => {
    kit = await shardedContent(everything);
    const onShards = async () => (await Promise.all(kit.shards.map((s) => readdir(join(s.name, '_tmp'))))).flat();
    const staging = await kit.content.openStaging(limits);
    await staging.write(Buffer.from('spooled '));
    await staging.write(Buffer.from('bytes'));
    expect(await onShards()).toEqual([]);
    expect(await readdir(join(kit.dir, 'spool', '_tmp'))).toHaveLength(1);
    expect(Buffer.from(await staging.readBack(8, 5)).toString()).toBe('bytes');
    const staged = await staging.finish();
    expect(await onShards()).toHaveLength(2);
    expect(await readdir(join(kit.dir, 'spool', '_tmp'))).toEqual([]);
    expect(Buffer.from(await staging.readBack(0, 7)).toString()).toBe('spooled');
    await staging.closeReader();
    await kit.content.commit(staged, async () => undefined);
    expect(await holders(staged.checksums.sha256)).toHaveLength(2);
  });

  it('EDGE-BIN-4: a stage that fails leaves nothing on any shard nor in the spool', async () => {
    kit = await shardedContent(everything);
    await expect(kit.content.stage(one('x'.repeat(2000)), limits)).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
    const staged = await kit.content.stage(one('discarded'), limits);
    await staged.discard();
    for (const dir of [...kit.shards.map((s) => s.name), join(kit.dir, 'spool')]) {
      expect((await readdir(dir, { recursive: true })).filter((f) => !/^(_tmp|[0-9a-f]{2}(\/[0-9a-f]{2})?)$/.test(f))).toEqual([]);
    }
  });
});
