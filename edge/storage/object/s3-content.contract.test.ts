import { afterAll, beforeAll } from 'vitest';
import { startS3Server, type S3Server } from '../../../test/s3-server.ts';
import { describeContentStoreContract } from '../__fixtures__/content.contract.ts';
import { s3Kit } from './__fixtures__/s3-kit.ts';

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server();
}, 30_000);
afterAll(() => server.stop());

describeContentStoreContract('S3 (s3rver)', (references) => s3Kit(server, references));
