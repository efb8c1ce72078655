import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EdgeError } from '../../../protocol/errors.ts';
import { startS3Server, type S3Server } from '../../../test/s3-server.ts';
import { describeContentStoreContract } from '../__fixtures__/content.contract.ts';
import type { ContentReferences } from '../content.ts';
import { FileStore } from '../filestore.ts';
import { s3Kit } from '../object/__fixtures__/s3-kit.ts';
import { CachedContentStore } from './cached-content.ts';

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server();
}, 30_000);
afterAll(() => server.stop());

const MiB = 1024 * 1024;

async function cachedS3(references: ContentReferences, maxBytes: number, clockAheadMs = 0) {
  const kit = await s3Kit(server, references, clockAheadMs);
  const files = new FileStore(join(kit.dir, 'cache'));
  const content = await CachedContentStore.open(kit.content, files, references, maxBytes);
  return { ...kit, files, content, reopen: () => CachedContentStore.open(kit.content, new FileStore(join(kit.dir, 'cache')), references, maxBytes) };
}

// EDGE-BIN-3: the cache changes no promise of the store it fronts.
describeContentStoreContract('S3 behind the read-through cache', (references) => cachedS3(references, 64 * MiB));

describe('EDGE-BIN-3: read-through cache over S3', () => {
  const refs = new Set<string>();
  const references: ContentReferences = { referencesTo: async (sha) => (refs.has(sha) ? 1 : 0), referencedContent: async () => new Set(refs) };
  let kit: Awaited<ReturnType<typeof cachedS3>>;
  beforeEach(async () => {
    kit = await cachedS3(references, Math.floor(2.5 * MiB));
  });
  afterEach(async () => {
    refs.clear();
    await kit.dispose();
  });

  async function store(fill: number): Promise<string> {
    async function* body() {
      yield Buffer.alloc(MiB, fill);
    }
    const staged = await kit.content.stage(body(), { maxBytes: MiB, tooLarge: () => new EdgeError('BODY_TOO_LARGE', 'big') });
    await kit.content.commit(staged, async () => void refs.add(staged.checksums.sha256));
    return staged.checksums.sha256;
  }
  const gets = () => kit.requests.filter((r) => r === 'GetObjectCommand').length;
  const readWhole = async (sha: string) => buffer(kit.content.read(sha, MiB));

  it('EDGE-BIN-3: a second read, whole or ranged, is served from disk without a request to the object store', async () => {
    const sha = await store(1);
    expect((await readWhole(sha)).equals(Buffer.alloc(MiB, 1))).toBe(true);
    expect(gets()).toBe(1);
    const before = kit.requests.length;
    expect((await readWhole(sha)).equals(Buffer.alloc(MiB, 1))).toBe(true);
    expect(await text(kit.content.read(sha, MiB, { start: 10, end: 12 }))).toBe('\x01\x01\x01');
    expect(kit.requests.length).toBe(before);
    expect(kit.content.cachedBytes).toBe(MiB);
  });

  it('EDGE-BIN-3: past the bound the least recently read content is evicted whole; a read moves content to the front', async () => {
    const [a, b, c] = [await store(1), await store(2), await store(3)];
    await readWhole(a);
    await readWhole(b);
    await readWhole(a);
    await readWhole(c);
    expect(kit.content.cachedBytes).toBe(2 * MiB);
    expect([await kit.files.has(a), await kit.files.has(b), await kit.files.has(c)]).toEqual([true, false, true]);
    const before = gets();
    await readWhole(b);
    expect(gets()).toBe(before + 1);
  });

  it('EDGE-BIN-3: a read given up half-way caches nothing; a ranged miss is passed through uncached', async () => {
    const sha = await store(4);
    const stream = kit.content.read(sha, MiB);
    for await (const _ of stream) break;
    await kit.content.read(sha, MiB, { start: 0, end: 9 }).toArray();
    expect(kit.content.cachedBytes).toBe(0);
    expect(await kit.files.has(sha)).toBe(false);
    await readWhole(sha);
    expect(gets()).toBe(3);
  });

  it('EDGE-BIN-3: a cached file of the wrong size is dropped and the object store serves the read', async () => {
    const sha = await store(5);
    await readWhole(sha);
    await writeFile(kit.files.pathOf(sha), 'truncated');
    expect((await readWhole(sha)).equals(Buffer.alloc(MiB, 5))).toBe(true);
    expect(gets()).toBe(2);
  });

  it("EDGE-BIN-3: bytes whose SHA-256 is not the content's (damaged in the object store, size intact) are never cached", async () => {
    const sha = await store(8);
    await kit.damage(sha, Buffer.alloc(MiB, 9));
    await readWhole(sha);
    expect(kit.content.cachedBytes).toBe(0);
    expect(await kit.files.has(sha)).toBe(false);
    await readWhole(sha);
    expect(gets()).toBe(2);
  });

  it('EDGE-BIN-3: a restart keeps what was cached; release and sweep drop what the store no longer holds', async () => {
    const [kept, released] = [await store(6), await store(7)];
    await readWhole(kept);
    await readWhole(released);
    const reopened = await kit.reopen();
    expect(reopened.cachedBytes).toBe(2 * MiB);
    const before = gets();
    await buffer(reopened.read(kept, MiB));
    expect(gets()).toBe(before);
    refs.delete(released);
    await reopened.release([released]);
    expect(await kit.files.has(released)).toBe(false);
    expect(reopened.cachedBytes).toBe(MiB);
  });
});
