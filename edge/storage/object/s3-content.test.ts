import { afterAll, beforeAll } from 'vitest';
import { startS3Server, type S3Server } from '../../../test/s3-server.ts';
import { describeObjectStore } from './__fixtures__/object-store.suite.ts';
import { s3Kit } from './__fixtures__/s3-kit.ts';
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
