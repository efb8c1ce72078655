import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { startS3Server, type S3Server } from '../../../test/s3-server.ts';
import { describeContentStoreContract } from '../__fixtures__/content.contract.ts';
import type { ContentReferences } from '../content.ts';
import { FileStore } from '../filestore.ts';
import { ObjectContentStore } from './object-content.ts';
import { S3Backend } from './s3-backend.ts';

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server();
}, 30_000);
afterAll(() => server.stop());

let buckets = 0;
/** The contract's clock runs an hour ahead, so content it just stored is past the sweep grace (EDGE-CLU-3). */
async function s3Content(references: ContentReferences) {
  const bucket = `contract-${++buckets}`;
  await server.bucket(bucket);
  const backend = new S3Backend({ endpoint: server.endpoint, region: 'us-east-1', bucket, prefix: 'edge/', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-s3-spool-'));
  const spool = new FileStore(join(dir, 'spool'));
  await spool.init();
  return {
    content: new ObjectContentStore(backend, references, spool, () => Date.now() + 3600_000),
    damage: (sha256: string, bytes: Buffer) => backend.put(ObjectContentStore.keyOf(sha256), Readable.from([bytes])),
    dispose: async () => {
      backend.client.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describeContentStoreContract('S3 (s3rver)', s3Content);
