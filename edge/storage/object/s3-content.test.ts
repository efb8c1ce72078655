import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeError } from '../../../protocol/errors.ts';
import { startS3Server, type S3Server } from '../../../test/s3-server.ts';
import { describeObjectStore } from './__fixtures__/object-store.suite.ts';
import { s3Kit } from './__fixtures__/s3-kit.ts';
import type { ObjectBackend } from './object-backend.ts';
import { ObjectContentStore } from './object-content.ts';
import { S3_PART_BYTES, S3Backend } from './s3-backend.ts';

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

describe('S3 batch removal', () => {
  it('EDGE-BIN-8: DeleteObjects carries the Content-MD5 of its body, which S3-compatible servers require', async () => {
    const seen: { md5: string | undefined; body: string }[] = [];
    const fake = createServer(async (req, res) => {
      seen.push({ md5: req.headers['content-md5'] as string | undefined, body: await text(req) });
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><DeleteResult></DeleteResult>');
    });
    await new Promise<void>((listening) => fake.listen(0, '127.0.0.1', listening));
    const { port } = fake.address() as AddressInfo;
    const backend = new S3Backend({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: 'fake',
      prefix: 'edge/',
      accessKeyId: 'k',
      secretAccessKey: 's',
      forcePathStyle: true,
    });
    try {
      await backend.removeAll(['_staging/1', '_staging/2']);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.body).toContain('<Key>edge/_staging/2</Key>');
      expect(seen[0]?.md5).toBe(
        createHash('md5')
          .update(seen[0]?.body ?? '')
          .digest('base64'),
      );
    } finally {
      backend.client.destroy();
      await new Promise((closed) => fake.close(closed));
    }
  });
});
