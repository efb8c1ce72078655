import { createHash } from 'node:crypto';
import { buffer, text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ContentReferences, ContentStore } from '../content.ts';

/** A fresh, empty content store counting references with `references`. */
export interface ContentStoreUnderTest {
  content: ContentStore;
  /** Replaces the stored bytes of content with `bytes`, as a damaged disk would. */
  damage(sha256: string, bytes: Buffer): Promise<void>;
  dispose(): Promise<void>;
}

const limits = { maxBytes: 16, tooLarge: (max: number) => new EdgeError('BODY_TOO_LARGE', `over ${max}`) };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

/**
 * What every content store promises (edge/storage/content.ts), whatever keeps the bytes: the
 * local filestore today, an object store later. References are counted by a map the test owns.
 */
export function describeContentStoreContract(name: string, open: (references: ContentReferences) => Promise<ContentStoreUnderTest>): void {
  describe(`content store contract: ${name}`, () => {
    const refs = new Map<string, number>();
    const references: ContentReferences = {
      referencesTo: async (sha) => refs.get(sha) ?? 0,
      referencedContent: async () => new Set([...refs].filter(([, n]) => n > 0).map(([sha]) => sha)),
    };
    const record = (sha: string) => async () => void refs.set(sha, (refs.get(sha) ?? 0) + 1);
    let underTest: ContentStoreUnderTest;
    let content: ContentStore;
    beforeEach(async () => {
      refs.clear();
      underTest = await open(references);
      content = underTest.content;
    });
    afterEach(() => underTest.dispose());

    const store = async (s: string) => {
      const staged = await content.stage(chunks(s), limits);
      await content.commit(staged, record(staged.checksums.sha256));
      return staged.checksums.sha256;
    };

    it('EDGE-ART-2: stage computes every checksum while streaming; the bytes are not visible before commit', async () => {
      const staged = await content.stage(chunks('hel', 'lo'), limits);
      expect(staged.size).toBe(5);
      expect(staged.checksums).toEqual({
        sha256: sha256('hello'),
        sha1: createHash('sha1').update('hello').digest('hex'),
        md5: createHash('md5').update('hello').digest('hex'),
      });
      expect(await content.has(sha256('hello'))).toBe(false);
      await content.commit(staged, record(sha256('hello')));
      expect(await content.has(sha256('hello'))).toBe(true);
      expect(await text(content.read(sha256('hello'), 5))).toBe('hello');
    });

    it('a stage over the limit fails with the limit error and leaves nothing', async () => {
      await expect(content.stage(chunks('0123456789', '0123456789'), limits)).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
      expect(await content.sweep(0)).toBe(0);
    });

    it('discard leaves nothing behind', async () => {
      const staged = await content.stage(chunks('gone'), limits);
      await staged.discard();
      expect(await content.has(sha256('gone'))).toBe(false);
      expect(await content.sweep(0)).toBe(0);
    });

    it('a refused record removes the unreferenced bytes it published', async () => {
      const staged = await content.stage(chunks('refused'), limits);
      await expect(content.commit(staged, async () => Promise.reject(new EdgeError('CONFLICT', 'no')))).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await content.has(sha256('refused'))).toBe(false);
    });

    it('identical content is stored once; reference records only when the content is held', async () => {
      const sha = await store('same');
      expect(await store('same')).toBe(sha);
      expect(await content.reference(sha, async () => 'recorded')).toBe('recorded');
      expect(await content.reference(sha256('absent'), async () => 'recorded')).toBeUndefined();
    });

    it('EDGE-ART-3: release removes content only when nothing references it', async () => {
      const sha = await store('kept');
      await content.release([sha]);
      expect(await content.has(sha)).toBe(true);
      refs.set(sha, 0);
      await content.release([sha, sha]);
      expect(await content.has(sha)).toBe(false);
    });

    it('sweep removes exactly the unreferenced content', async () => {
      const kept = await store('kept');
      const lost = await store('lost');
      refs.delete(lost);
      expect(await content.sweep(0)).toBe(1);
      expect([await content.has(kept), await content.has(lost)]).toEqual([true, false]);
    });

    it('EDGE-CLU-3: sweep keeps unreferenced content younger than its grace (another process may be about to record it)', async () => {
      const fresh = await store('fresh');
      refs.delete(fresh);
      expect(await content.sweep()).toBe(0);
      expect(await content.sweep(60_000)).toBe(0);
      expect(await content.has(fresh)).toBe(true);
    });

    it('read serves a range, bounds included', async () => {
      const sha = await store('0123456789');
      expect(await text(content.read(sha, 10, { start: 2, end: 5 }))).toBe('2345');
      expect(await text(content.read(sha, 10, { start: 9, end: 9 }))).toBe('9');
    });

    it('identical bytes staged and committed at once are kept once, whole, and both records are made', async () => {
      const body = 'concurrent';
      const [a, b] = await Promise.all([content.stage(chunks('concu', 'rrent'), limits), content.stage(chunks(body), limits)]);
      await Promise.all([content.commit(a, record(a.checksums.sha256)), content.commit(b, record(b.checksums.sha256))]);
      expect(refs.get(sha256(body))).toBe(2);
      expect(await text(content.read(sha256(body), body.length))).toBe(body);
      expect(await content.sweep()).toBe(0);
    });

    it('a read of content that is not held fails; it never ends as an empty body', async () => {
      await expect(text(content.read(sha256('absent'), 6))).rejects.toThrow();
    });

    it('EDGE-SR-7: openStaging reads back the bytes written so far; finish stages them as stage would', async () => {
      const staging = await content.openStaging(limits);
      await staging.write(Buffer.from('hel'));
      expect(staging.written).toBe(3);
      expect(Buffer.from(await staging.readBack(1, 10)).toString()).toBe('el');
      await staging.write(Buffer.from('lo'));
      const staged = await staging.finish();
      expect(Buffer.from(await staging.readBack(0, 5)).toString()).toBe('hello');
      await staging.closeReader();
      expect(staged.checksums.sha256).toBe(sha256('hello'));
      expect(await content.has(sha256('hello'))).toBe(false);
      await content.commit(staged, record(sha256('hello')));
      expect(await text(content.read(sha256('hello'), 5))).toBe('hello');
    });

    it('EDGE-SR-7: read-back while staging grows past several writes returns every byte written, on disk or not yet', async () => {
      const staging = await content.openStaging({ ...limits, maxBytes: 8 * 1024 * 1024 });
      const whole = Buffer.alloc(3 * 1024 * 1024 + 123);
      for (let i = 0; i < whole.length; i++) whole[i] = (i * 7 + (i >> 12)) & 0xff;
      const seen: Buffer[] = [];
      let read = 0;
      // A reader that lags a chunk behind the writer, as a late joiner of a smart-remote download does.
      for (let at = 0; at < whole.length; at += 64 * 1024) {
        await staging.write(whole.subarray(at, at + 64 * 1024));
        while (read < staging.written - 1) {
          const chunk = Buffer.from(await staging.readBack(read, 100_000));
          expect(chunk.length).toBeGreaterThan(0);
          seen.push(chunk);
          read += chunk.length;
        }
      }
      const staged = await staging.finish();
      while (read < whole.length) {
        const chunk = Buffer.from(await staging.readBack(read, 100_000));
        expect(chunk.length).toBeGreaterThan(0);
        seen.push(chunk);
        read += chunk.length;
      }
      await staging.closeReader();
      expect(Buffer.concat(seen).equals(whole)).toBe(true);
      expect(staged.size).toBe(whole.length);
      await content.commit(staged, record(staged.checksums.sha256));
      expect((await buffer(content.read(staged.checksums.sha256, whole.length))).equals(whole)).toBe(true);
    });

    it('EDGE-IN-6: openStaging refuses a write past the limit; abort leaves nothing', async () => {
      const staging = await content.openStaging(limits);
      await staging.write(Buffer.from('0123456789'));
      await expect(staging.write(Buffer.from('0123456789'))).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
      await staging.abort();
      await staging.closeReader();
      expect(await content.sweep()).toBe(0);
    });

    it.each([
      ['shorter', 'short'],
      ['longer', 'much longer than recorded'],
    ])('EDGE-DUR-3: reading content whose stored bytes are %s than recorded fails with CONTENT_DAMAGED', async (_label, bytes) => {
      const sha = await store('0123456789');
      await underTest.damage(sha, Buffer.from(bytes));
      await expect(text(content.read(sha, 10))).rejects.toMatchObject({ code: 'CONTENT_DAMAGED' });
      await expect(text(content.read(sha, 10, { start: 0, end: 3 }))).rejects.toMatchObject({ code: 'CONTENT_DAMAGED' });
    });
  });
}
