import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checksumsOf } from '../../../../protocol/checksums.ts';
import { EdgeError } from '../../../../protocol/errors.ts';
import type { ContentReferences } from '../../content.ts';
import type { ObjectContentStore } from '../object-content.ts';

/** An object content store on a fresh bucket or container, and a view of everything in it. */
export interface ObjectStoreUnderTest {
  content: ObjectContentStore;
  /** Every key or blob name, whatever its prefix: what "leaves nothing" is checked against. */
  names(): Promise<string[]>;
  /** Parts (S3) or blocks (Azure) the staged object was uploaded in so far. */
  partsUploaded(): Promise<number>;
  /** Every object-store request sent so far, by operation name. */
  requests(): string[];
  damage(sha256: string, bytes: Buffer): Promise<void>;
  dispose(): Promise<void>;
}

const MiB = 1024 * 1024;
const limits = (maxBytes: number) => ({ maxBytes, tooLarge: (max: number) => new EdgeError('BODY_TOO_LARGE', `over ${max}`) });
const nothing: ContentReferences = { referencesTo: async () => 0, referencedContent: async () => new Set() };

/** `count` chunks of 1 MiB, each filled with its index; counts what the store pulled. */
function megabytes(count: number, pulled = { chunks: 0 }): AsyncGenerator<Uint8Array> {
  return (async function* () {
    for (let i = 0; i < count; i++) {
      pulled.chunks++;
      yield Buffer.alloc(MiB, i);
    }
  })();
}

/**
 * What an object store adds to the content contract (EDGE-BIN-1, EDGE-BIN-6): bounded parts,
 * content keys that only ever hold whole objects, nothing left by a refused or broken upload.
 */
export function describeObjectStore(name: string, partBytes: number, open: (references: ContentReferences) => Promise<ObjectStoreUnderTest>): void {
  describe(`object store: ${name}`, () => {
    let store: ObjectStoreUnderTest;
    let content: ObjectContentStore;
    beforeEach(async () => {
      store = await open(nothing);
      content = store.content;
    });
    afterEach(() => store.dispose());

    it('EDGE-BIN-1: a body larger than a part goes up in bounded parts, is hashed on the way and lands whole under <prefix><sha[0:2]>/<sha>', async () => {
      const body = await buffer(megabytes(20));
      const staged = await content.stage(megabytes(20), limits(64 * MiB));
      expect(staged.checksums).toEqual(checksumsOf(body));
      expect(await store.partsUploaded()).toBe(Math.ceil(body.length / partBytes));
      expect(await store.names()).toEqual([expect.stringMatching(/_staging\//)]);
      await content.commit(staged, async () => undefined);
      const sha = staged.checksums.sha256;
      expect((await store.names()).map((n) => n.replace(/^edge\//, ''))).toEqual([`${sha.slice(0, 2)}/${sha}`]);
      const range = await buffer(content.read(sha, body.length, { start: 9 * MiB - 2, end: 9 * MiB + 1 }));
      expect(range.equals(body.subarray(9 * MiB - 2, 9 * MiB + 2))).toBe(true);
    });

    it('EDGE-IN-6: a body over the limit stops mid-stream, is refused with the limit error and leaves nothing', async () => {
      const pulled = { chunks: 0 };
      await expect(content.stage(megabytes(40, pulled), limits(18 * MiB))).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
      expect(pulled.chunks).toBe(19);
      expect(await store.names()).toEqual([]);
    });

    it('EDGE-BIN-1: a client gone mid-upload leaves nothing, the failure surfaces as it was', async () => {
      async function* broken() {
        yield* megabytes(10);
        throw new Error('client went away');
      }
      await expect(content.stage(broken(), limits(64 * MiB))).rejects.toThrow('client went away');
      expect(await store.names()).toEqual([]);
    });

    it('EDGE-BIN-2: openStaging spools locally for read-back and uploads once at finish; discard leaves nothing', async () => {
      const staging = await content.openStaging(limits(64 * MiB));
      const before = store.requests().length;
      for await (const chunk of megabytes(9)) await staging.write(chunk);
      expect(store.requests().length).toBe(before);
      expect(Buffer.from(await staging.readBack(8 * MiB, 4)).equals(Buffer.alloc(4, 8))).toBe(true);
      const staged = await staging.finish();
      await staging.closeReader();
      expect(await store.names()).toEqual([expect.stringMatching(/_staging\//)]);
      await staged.discard();
      expect(await store.names()).toEqual([]);
    });

    it('EDGE-CLU-3: sweep spares unreferenced content younger than the grace, and staging another process may still be using', async () => {
      const staged = await content.stage(megabytes(1), limits(MiB));
      await content.commit(staged, async () => undefined);
      const pending = await content.stage(megabytes(1), limits(MiB));
      expect(await content.sweep()).toBe(0);
      expect(await store.names()).toHaveLength(2);
      expect(await content.sweep(0)).toBe(1);
      expect(await store.names()).toEqual([]);
      await expect(pending.publish()).rejects.toThrow();
    });

    it('EDGE-CLU-3: publishing content already held renews it, so a sweep elsewhere spares it until it is recorded', async () => {
      const first = await content.stage(megabytes(1), limits(MiB));
      await content.commit(first, async () => undefined);
      // Listings give times to the second (Azure): 3 s apart, a cutoff 1.5 s back tells them apart.
      await new Promise((done) => setTimeout(done, 3000));
      const again = await content.stage(megabytes(1), limits(MiB));
      await again.publish();
      expect(await content.sweep(1500)).toBe(0);
      expect(await content.has(again.checksums.sha256)).toBe(true);
    });

    it('EDGE-BIN-8: publications running together remove their staging in batches, never one request per key, and leave none', async () => {
      const staged = await Promise.all(Array.from({ length: 8 }, (_, i) => content.stage(Readable.from([Buffer.from(`file ${i}`)]), limits(MiB))));
      const before = store.requests().length;
      await Promise.all(staged.map((one) => content.commit(one, async () => undefined)));
      const removals = store
        .requests()
        .slice(before)
        .filter((name) => /^(remove|removeAll|DeleteObjectCommand|DeleteObjectsCommand)$/.test(name));
      expect(removals.filter((name) => name === 'remove' || name === 'DeleteObjectCommand')).toEqual([]);
      expect(removals.length).toBeGreaterThanOrEqual(1);
      expect((await store.names()).filter((name) => name.includes('_staging/'))).toEqual([]);
      expect(await store.names()).toHaveLength(8);
    });

    it('EDGE-DUR-3: a range beyond the bytes of a shortened object fails with CONTENT_DAMAGED, not an empty body', async () => {
      const staged = await content.stage(megabytes(1), limits(MiB));
      await content.commit(staged, async () => undefined);
      const sha = staged.checksums.sha256;
      await store.damage(sha, Buffer.from('short'));
      await expect(text(content.read(sha, MiB, { start: 1000, end: 2000 }))).rejects.toMatchObject({ code: 'CONTENT_DAMAGED' });
    });
  });
}
