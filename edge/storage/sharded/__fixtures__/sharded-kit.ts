import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContentReferences } from '../../content.ts';
import { FileStore } from '../../filestore.ts';
import { ShardedContentStore } from '../sharded-content.ts';

/** Three shards, two copies each. */
export async function shardedContent(references: ContentReferences, shardCount = 3, redundancy = 2) {
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-sharded-'));
  const open = async () => {
    const shards = await Promise.all(
      Array.from({ length: shardCount }, async (_, i) => {
        const name = join(dir, `shard-${i}`);
        const files = new FileStore(name);
        await files.init();
        return { name, files };
      }),
    );
    const spool = new FileStore(join(dir, 'spool'));
    await spool.init();
    return { shards, content: new ShardedContentStore(shards, redundancy, references, spool, Date.now) };
  };
  const { shards, content } = await open();
  return {
    dir,
    shards,
    content,
    /** The store as a new process (the rebalance command) opens it. */
    reopen: async () => (await open()).content,
    /** Every copy damaged alike. */
    damage: async (sha256: string, bytes: Buffer) => {
      for (const shard of shards) if (await shard.files.has(sha256)) await writeFile(shard.files.pathOf(sha256), bytes);
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
