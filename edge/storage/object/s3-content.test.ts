import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeError } from '../../../protocol/errors.ts';
import { startS3Server, type S3Server } from '../../../test/s3-server.ts';
import { describeObjectStore } from './__fixtures__/object-store.suite.ts';
import { s3Kit } from './__fixtures__/s3-kit.ts';
import type { ObjectBackend } from './object-backend.ts';
import { ObjectContentStore } from './object-content.ts';
import { S3_PART_BYTES } from './s3-backend.ts';

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server();
}, 30_000);
afterAll(() => server.stop());

describeObjectStore('S3 (s3rver)', S3_PART_BYTES, async (references) => {
  const kit = await s3Kit(server, references);
  return {
    ...kit,
    names: async () => (await kit.bucketKeys()).map((key) => key ?? ''),
    partsUploaded: async () => kit.requests.filter((r) => r === 'UploadPartCommand').length,
    requests: () => kit.requests,
  };
});

describe('S3 staging verified', () => {
  it('EDGE-BIN-1: staging the object store kept short (fewer bytes than were hashed) is refused and removed, never publishable', async () => {
    const kit = await s3Kit(server, { referencesTo: async () => 0, referencedContent: async () => new Set() });
    try {
      // A store that loses the tail of what it is sent, as a faulty proxy or server would.
      const s3 = kit.backend;
      const lossy: ObjectBackend = {
        where: s3.where,
        check: () => s3.check(),
        put: (key, body) => s3.put(key, Readable.from(dropLastByte(body))),
        size: (key) => s3.size(key),
        copy: (from, to, size) => s3.copy(from, to, size),
        abortStaleUploads: (cutoffMs) => s3.abortStaleUploads(cutoffMs),
        remove: (key) => s3.remove(key),
        removeAll: (keys) => s3.removeAll(keys),
        list: (prefix) => s3.list(prefix),
        get: (key, range) => s3.get(key, range),
      };
      const content = new ObjectContentStore(lossy, { referencesTo: async () => 0, referencedContent: async () => new Set() }, kit.spool);
      await expect(
        content.stage(Readable.from([Buffer.from('all of these bytes')]), { maxBytes: 100, tooLarge: () => new EdgeError('BODY_TOO_LARGE', 'big') }),
      ).rejects.toMatchObject({
        code: 'CONTENT_DAMAGED',
      });
      expect(await kit.bucketKeys()).toEqual([]);
    } finally {
      await kit.dispose();
    }
  });
});

async function* dropLastByte(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) yield chunk.subarray(0, chunk.length - 1);
}
