import { createHash } from 'node:crypto';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { PowerLossDisk, PowerSwitch } from '../../test/power-loss-disk.ts';
import { describeContentStoreContract } from './__fixtures__/content.contract.ts';
import type { ContentReferences } from './content.ts';
import { nodeDisk, type Disk } from './disk.ts';
import { FileStore } from './filestore.ts';
import { LocalContentStore } from './local-content.ts';

async function localContent(references: ContentReferences, disk?: (root: string) => Promise<Disk>) {
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-content-'));
  const root = join(dir, 'filestore');
  const files = new FileStore(root, disk && (await disk(root)));
  await files.init();
  return {
    content: new LocalContentStore(files, references),
    files,
    damage: (sha256: string, bytes: Buffer) => writeFile(files.pathOf(sha256), bytes),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

describeContentStoreContract('local filestore', (references) => localContent(references));

// The power-loss layer models fsyncs while the power stays on; the filestore keeps every promise through it.
describeContentStoreContract('local filestore on the power-loss disk', (references) =>
  localContent(references, (root) => PowerLossDisk.over(root, new PowerSwitch())),
);

it('EDGE-CLU-3: the start-up sweep reclaims unreferenced content once it is older than the grace, not before', async () => {
  const references: ContentReferences = { referencesTo: async () => 0, referencedContent: async () => new Set() };
  const { content, files, dispose } = await localContent(references);
  try {
    const body = (async function* () {
      yield Buffer.from('published by another worker');
    })();
    const staged = await content.stage(body, { maxBytes: 1024, tooLarge: () => new Error('too large') as never });
    await staged.publish();
    const sha = staged.checksums.sha256;
    expect(await content.sweep()).toBe(0);
    expect(await content.has(sha)).toBe(true);
    // Eleven minutes later, still without a row: a crash left it, and it goes.
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(files.pathOf(sha), old, old);
    expect(await content.sweep()).toBe(1);
    expect(await content.has(sha)).toBe(false);
  } finally {
    await dispose();
  }
});

it('EDGE-DUR-4: the shard folder of bytes whose SHA-256 is known is made durable while they stream, not after', async () => {
  const references: ContentReferences = { referencesTo: async () => 0, referencedContent: async () => new Set() };
  const synced: string[] = [];
  const recording = async (root: string): Promise<Disk> => ({
    ...nodeDisk,
    syncDir: async (dir) => {
      await nodeDisk.syncDir(dir);
      synced.push(relative(root, dir));
    },
  });
  const { content, files, dispose } = await localContent(references, recording);
  try {
    const bytes = Buffer.from('a file of a signed bundle');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const shardParent = sha.slice(0, 2);
    let syncedWhileStreaming = false;
    const body = (async function* () {
      yield bytes.subarray(0, 4);
      // The rest comes once the shard's entry is synced, or after 2 s without it.
      for (let waited = 0; waited < 2_000 && !synced.includes(shardParent); waited += 10) await new Promise((r) => setTimeout(r, 10));
      syncedWhileStreaming = synced.includes(shardParent);
      yield bytes.subarray(4);
    })();
    const staged = await content.stage(body, { maxBytes: 1024, tooLarge: () => new Error('too large') as never, expectedSha256: sha });
    await staged.publish();
    expect(syncedWhileStreaming).toBe(true);
    expect(await files.has(sha)).toBe(true);
    // The publish then syncs the blob's own entry, and the shard folder no second time.
    expect(synced.filter((dir) => dir === shardParent)).toHaveLength(1);
    expect(synced.at(-1)).toBe(`${shardParent}/${sha.slice(2, 4)}`);
  } finally {
    await dispose();
  }
});

it('a sweep with no grace takes unreferenced content whatever its mtime says (a clock ahead of this one)', async () => {
  const references: ContentReferences = { referencesTo: async () => 0, referencedContent: async () => new Set() };
  const { content, files, dispose } = await localContent(references);
  try {
    const staged = await content.stage(
      (async function* () {
        yield Buffer.from('written by a host whose clock runs ahead');
      })(),
      { maxBytes: 1024, tooLarge: () => new Error('too large') as never },
    );
    await staged.publish();
    const ahead = new Date(Date.now() + 60_000);
    await utimes(files.pathOf(staged.checksums.sha256), ahead, ahead);
    expect(await content.sweep()).toBe(0);
    expect(await content.sweep(0)).toBe(1);
    expect(await content.has(staged.checksums.sha256)).toBe(false);
  } finally {
    await dispose();
  }
});
