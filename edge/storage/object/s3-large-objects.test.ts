import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checksumsOf } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { startS3Server, type S3Server } from '../../../test/s3-server.ts';
import type { ContentReferences } from '../content.ts';
import { s3Kit } from './__fixtures__/s3-kit.ts';
import { S3_PART_BYTES, s3PartBytesFor } from './s3-backend.ts';
import { s3rverMultipartGaps } from './__fixtures__/s3rver-multipart-gaps.ts';

/**
 * EDGE-BIN-7: objects past S3's single-request limits (PutObject and CopyObject take at most
 * 5 GiB), with the limits lowered to a few MiB so that s3rver holds the objects. s3rver cannot
 * copy a part, abort an upload or list uploads; msw answers those three calls in front of it
 * (s3rver-multipart-gaps.ts), everything else is s3rver's.
 */

const MiB = 1024 * 1024;
const nothing: ContentReferences = { referencesTo: async () => 0, referencedContent: async () => new Set() };
const limits = { maxBytes: 64 * MiB, tooLarge: () => new EdgeError('BODY_TOO_LARGE', 'too large') };
/** Copies in parts above 6 MiB, 5 MiB a part (S3's smallest); uploads in parts of 5 MiB. */
const LOWERED = { partBytes: 5 * MiB, copyThresholdBytes: 6 * MiB, copyPartBytes: 5 * MiB };
/** 13 MiB that differ along the way, so a part copied from the wrong range shows. */
const body = Buffer.from(Array.from({ length: 13 * MiB }, (_, i) => (i * 7 + (i >> 12)) & 0xff));

let server: S3Server;
let gaps: ReturnType<typeof s3rverMultipartGaps>;
beforeAll(async () => {
  server = await startS3Server();
  gaps = s3rverMultipartGaps(server);
  gaps.listen();
}, 30_000);
afterAll(async () => {
  gaps?.close();
  await server?.stop();
});
afterEach(() => {
  gaps.state.failPart = 0;
});

const count = (requests: string[], command: string) => requests.filter((r) => r === command).length;

describe('EDGE-BIN-7: S3 objects past the single-request limits', () => {
  it('EDGE-BIN-7: a body larger than one part is uploaded in parts, never by PutObject, and lands whole', async () => {
    const kit = await s3Kit(server, nothing, 0, LOWERED);
    try {
      const staged = await kit.content.stage(Readable.from([body]), limits);
      expect([
        count(kit.requests, 'PutObjectCommand'),
        count(kit.requests, 'UploadPartCommand'),
        count(kit.requests, 'CompleteMultipartUploadCommand'),
      ]).toEqual([0, 3, 1]);
      expect(staged.checksums).toEqual(checksumsOf(body));
    } finally {
      await kit.dispose();
    }
  });

  it('EDGE-BIN-7: content larger than the copy threshold is published by a multipart copy of 5 MiB parts; the bytes read back are the bytes sent', async () => {
    const kit = await s3Kit(server, nothing, 0, LOWERED);
    try {
      const staged = await kit.content.stage(Readable.from([body]), limits);
      const copied = gaps.state.partsCopied;
      await kit.content.commit(staged, async () => undefined);
      expect([count(kit.requests, 'CopyObjectCommand'), count(kit.requests, 'UploadPartCopyCommand'), gaps.state.partsCopied - copied]).toEqual([0, 3, 3]);
      const sha = staged.checksums.sha256;
      expect(await kit.bucketKeys()).toEqual([`edge/${sha.slice(0, 2)}/${sha}`]);
      expect(checksumsOf(await buffer(kit.content.read(sha, body.length)))).toEqual(checksumsOf(body));
      expect(await gaps.uploads(kit.bucket)).toEqual([]);
    } finally {
      await kit.dispose();
    }
  });

  it('EDGE-BIN-7: content at or under the threshold is still one CopyObject', async () => {
    const kit = await s3Kit(server, nothing, 0, LOWERED);
    try {
      const small = body.subarray(0, 6 * MiB);
      const staged = await kit.content.stage(Readable.from([small]), limits);
      await kit.content.commit(staged, async () => undefined);
      expect([count(kit.requests, 'CopyObjectCommand'), count(kit.requests, 'UploadPartCopyCommand')]).toEqual([1, 0]);
    } finally {
      await kit.dispose();
    }
  });

  it('EDGE-BIN-7: a copy failing at its second part is aborted: no content key, no staging, no upload left; nothing is recorded', async () => {
    const kit = await s3Kit(server, nothing, 0, LOWERED);
    try {
      gaps.state.failPart = 2;
      const staged = await kit.content.stage(Readable.from([body]), limits);
      let recorded = false;
      await expect(
        kit.content.commit(staged, async () => {
          recorded = true;
        }),
      ).rejects.toThrow(/injected: the part copy failed/);
      expect(recorded).toBe(false);
      expect(count(kit.requests, 'AbortMultipartUploadCommand')).toBe(1);
      expect(await kit.bucketKeys()).toEqual([]);
      expect(await gaps.uploads(kit.bucket)).toEqual([]);
      expect(await kit.content.has(staged.checksums.sha256)).toBe(false);
    } finally {
      await kit.dispose();
    }
  });

  it.each([
    ['an hour', 60 * 60_000, ['edge/ab/abandoned', 'other/not-the-edges']],
    ['a day and more', 25 * 60 * 60_000, ['other/not-the-edges']],
  ])(
    'EDGE-BIN-7: a sweep %s after uploads were begun and left unfinished (a process killed mid-copy) aborts those under its prefix past a day only',
    async (_label, aheadMs, left) => {
      const kit = await s3Kit(server, nothing, aheadMs, LOWERED);
      try {
        const begin = async (key: string) => {
          const { UploadId } = await kit.backend.client.send(new CreateMultipartUploadCommand({ Bucket: kit.bucket, Key: key }));
          await kit.backend.client.send(new UploadPartCommand({ Bucket: kit.bucket, Key: key, UploadId, PartNumber: 1, Body: body.subarray(0, MiB) }));
        };
        await begin('edge/ab/abandoned');
        await begin('other/not-the-edges');
        await kit.content.sweep();
        expect((await gaps.uploads(kit.bucket)).map((u) => u.key).sort()).toEqual(left);
      } finally {
        await kit.dispose();
      }
    },
  );

  it('EDGE-BIN-7: the part size grows with the largest body the Edge accepts, so 10,000 parts always hold it', () => {
    const GiB = 1024 * MiB;
    for (const largest of [1, 64 * GiB, 80 * GiB, 80 * GiB + 1, 1024 * GiB, 5 * 1024 * GiB]) {
      const part = s3PartBytesFor(largest);
      expect(part * 10_000).toBeGreaterThanOrEqual(largest);
      expect(part % MiB).toBe(0);
      expect(part).toBeGreaterThanOrEqual(S3_PART_BYTES);
    }
    // The defaults (16 GiB uploads, 64 GiB bundles) keep 8 MiB parts: memory stays at two of them.
    expect(s3PartBytesFor(64 * GiB)).toBe(S3_PART_BYTES);
    expect(s3PartBytesFor(1024 * GiB)).toBe(105 * MiB);
  });
});
