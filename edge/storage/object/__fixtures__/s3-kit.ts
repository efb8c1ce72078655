import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Server } from '../../../../test/s3-server.ts';
import type { ContentReferences } from '../../content.ts';
import { FileStore } from '../../filestore.ts';
import { ObjectContentStore } from '../object-content.ts';
import { S3Backend, type S3Tuning } from '../s3-backend.ts';

let buckets = 0;

/**
 * An S3 content store on a new bucket of `server`, counting the requests it sends by command
 * name. `clockAheadMs` moves the sweep's clock (EDGE-CLU-3) past the grace for the contract.
 */
export async function s3Kit(server: S3Server, references: ContentReferences, clockAheadMs = 0, tuning: S3Tuning = {}) {
  const bucket = `bucket-${++buckets}`;
  await server.bucket(bucket);
  const backend = new S3Backend(
    {
      endpoint: server.endpoint,
      region: 'us-east-1',
      bucket,
      prefix: 'edge/',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    },
    tuning,
  );
  const requests: string[] = [];
  backend.client.middlewareStack.add(
    (next, context) => (args) => {
      requests.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize' },
  );
  const dir = await mkdtemp(join(tmpdir(), 'edgeproof-s3-'));
  const spool = new FileStore(join(dir, 'spool'));
  await spool.init();
  return {
    dir,
    bucket,
    backend,
    spool,
    requests,
    content: new ObjectContentStore(backend, references, spool, () => Date.now() + clockAheadMs),
    /** Every key in the bucket, whatever its prefix: what "leaves nothing" is checked against. */
    bucketKeys: async () => ((await backend.client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key),
    damage: (sha256: string, bytes: Buffer) => backend.put(ObjectContentStore.keyOf(sha256), Readable.from([bytes])),
    dispose: async () => {
      backend.client.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
