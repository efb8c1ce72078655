import { buffer, text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checksumsOf } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { startS3Server, type S3Server } from '../../../test/s3-server.ts';
import type { ContentReferences } from '../content.ts';
import type { ObjectContentStore } from './object-content.ts';
import { s3Kit } from './__fixtures__/s3-kit.ts';
import { S3_PART_BYTES } from './s3-backend.ts';

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server();
}, 30_000);
afterAll(() => server.stop());

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

describe('S3 content store (s3rver)', () => {
  let kit: Awaited<ReturnType<typeof s3Kit>>;
  let content: ObjectContentStore;
  let requests: string[];
  let bucketKeys: () => Promise<(string | undefined)[]>;
  beforeEach(async () => {
    kit = await s3Kit(server, nothing);
    ({ content, requests, bucketKeys } = kit);
  });
  afterEach(() => kit.dispose());

  it('EDGE-BIN-1: a body larger than a part goes up in bounded parts, is hashed on the way and lands whole under <prefix><sha[0:2]>/<sha>', async () => {
    const body = await buffer(megabytes(20));
    const staged = await content.stage(megabytes(20), limits(64 * MiB));
    expect(staged.checksums).toEqual(checksumsOf(body));
    expect(requests.filter((r) => r === 'UploadPartCommand')).toHaveLength(Math.ceil(body.length / S3_PART_BYTES));
    expect(await bucketKeys()).toEqual([expect.stringMatching(/^edge\/_staging\//)]);
    await content.commit(staged, async () => undefined);
    const sha = staged.checksums.sha256;
    expect(await bucketKeys()).toEqual([`edge/${sha.slice(0, 2)}/${sha}`]);
    const range = await buffer(content.read(sha, body.length, { start: 9 * MiB - 2, end: 9 * MiB + 1 }));
    expect(range.equals(body.subarray(9 * MiB - 2, 9 * MiB + 2))).toBe(true);
  });

  it('EDGE-IN-6: a body over the limit stops mid-stream, is refused with the limit error and leaves nothing in the bucket', async () => {
    const pulled = { chunks: 0 };
    await expect(content.stage(megabytes(40, pulled), limits(18 * MiB))).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
    expect(pulled.chunks).toBe(19);
    expect(await bucketKeys()).toEqual([]);
  });

  it('EDGE-BIN-1: a client gone mid-upload leaves nothing in the bucket, the failure surfaces as it was', async () => {
    async function* broken() {
      yield* megabytes(10);
      throw new Error('client went away');
    }
    await expect(content.stage(broken(), limits(64 * MiB))).rejects.toThrow('client went away');
    expect(await bucketKeys()).toEqual([]);
  });

  it('EDGE-BIN-2: openStaging spools locally for read-back and uploads once at finish; discard leaves nothing', async () => {
    const staging = await content.openStaging(limits(64 * MiB));
    for await (const chunk of megabytes(9)) await staging.write(chunk);
    expect(requests.filter((r) => r.includes('Upload') || r === 'PutObjectCommand')).toEqual([]);
    expect(Buffer.from(await staging.readBack(8 * MiB, 4)).equals(Buffer.alloc(4, 8))).toBe(true);
    const staged = await staging.finish();
    await staging.closeReader();
    expect(await bucketKeys()).toEqual([expect.stringMatching(/^edge\/_staging\//)]);
    await staged.discard();
    expect(await bucketKeys()).toEqual([]);
  });

  it('EDGE-CLU-3: sweep spares unreferenced content younger than the grace, and staging another process may still be using', async () => {
    const staged = await content.stage(megabytes(1), limits(MiB));
    await content.commit(staged, async () => undefined);
    const pending = await content.stage(megabytes(1), limits(MiB));
    expect(await content.sweep()).toBe(0);
    expect(await bucketKeys()).toHaveLength(2);
    expect(await content.sweep(0)).toBe(1);
    expect(await bucketKeys()).toEqual([]);
    await expect(pending.publish()).rejects.toThrow();
  });

  it('EDGE-DUR-3: a range beyond the bytes of a shortened object fails with CONTENT_DAMAGED, not an empty body', async () => {
    const staged = await content.stage(megabytes(1), limits(MiB));
    await content.commit(staged, async () => undefined);
    const sha = staged.checksums.sha256;
    await kit.damage(sha, Buffer.from('short'));
    await expect(text(content.read(sha, MiB, { start: 1000, end: 2000 }))).rejects.toMatchObject({ code: 'CONTENT_DAMAGED' });
  });
});
