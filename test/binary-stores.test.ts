import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeConfigInput, UPLOADS_REPO } from '../edge/index.ts';
import { createRepo, distribute, makeBundle, sha256, trustFixtureKey } from './bundle-kit.ts';
import { clientsOf, startEdge, type RunningEdge } from './edge-harness.ts';
import { startAzureServer, type AzureServer } from './azure-server.ts';
import { startS3Server, type S3Server } from './s3-server.ts';

/**
 * EDGE-BIN-1, EDGE-BIN-3, EDGE-BIN-4, EDGE-BIN-6 end to end: an Edge whose binaries are in S3
 * (s3rver, behind the read-through cache), in Azure Blob (Azurite) or on shards serves an upload, a ranged download and an EDP
 * bundle over HTTP, as it does on its local filestore.
 */

let s3: S3Server;
let azure: AzureServer;
let work: string;
beforeAll(async () => {
  s3 = await startS3Server();
  await s3.bucket('edge-e2e');
  azure = await startAzureServer();
  await BlobServiceClient.fromConnectionString(azure.connectionString).getContainerClient('edge-e2e').create();
  work = await mkdtemp(join(tmpdir(), 'edgeproof-binaries-'));
}, 30_000);
afterAll(async () => {
  await s3.stop();
  await azure?.stop();
  await rm(work, { recursive: true, force: true });
});

/** 3 MiB of bytes that differ along the way, so a wrong range shows. */
const body = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 31 + (i >> 10)) & 0xff));

const stores: [string, () => Partial<EdgeConfigInput>][] = [
  [
    'S3 with the read-through cache',
    () => ({
      binariesType: 's3',
      s3Endpoint: s3.endpoint,
      s3Bucket: 'edge-e2e',
      s3Prefix: 'edge/',
      s3AccessKeyId: 'S3RVER',
      s3SecretAccessKey: 'S3RVER',
      s3ForcePathStyle: true,
      binariesCacheMaxBytes: 8 * 1024 * 1024,
    }),
  ],
  ['Azure Blob', () => ({ binariesType: 'azure', azureConnectionString: azure.connectionString, azureContainer: 'edge-e2e' })],
  [
    'sharded (3 shards, 2 copies)',
    () => ({ binariesType: 'sharded', binariesShards: ['a', 'b', 'c'].map((s) => join(work, s)).join(','), binariesRedundancy: 2 }),
  ],
];

describe.each(stores)('an Edge on %s', (_name, config) => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge(config());
    await trustFixtureKey(edge);
    await createRepo(edge, 'libs-local');
  }, 30_000);
  afterAll(() => edge?.close());

  it('EDGE-BIN-1, EDGE-BIN-4, EDGE-BIN-6: an upload is downloaded whole and by range, with its checksums', async () => {
    const { artifactory } = clientsOf(edge);
    const created = await artifactory.deploy(`${UPLOADS_REPO}/big/body.bin`, body);
    expect(created.checksums?.sha256).toBe(sha256(body));
    for (let read = 0; read < 2; read++) {
      const whole = await artifactory.download(`${UPLOADS_REPO}/big/body.bin`);
      expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(body));
    }
    const part = await artifactory.download(`${UPLOADS_REPO}/big/body.bin`, { range: 'bytes=1048570-1048585' });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(body.subarray(1048570, 1048586));
  });

  it('EDGE-BIN-1, EDGE-BIN-4, EDGE-BIN-6: an EDP bundle is distributed and its files served', async () => {
    const files = [
      { repoPath: 'libs-local/bundle/one.txt', bytes: Buffer.from('first file of the bundle') },
      { repoPath: 'libs-local/bundle/two.bin', bytes: body.subarray(0, 700_000) },
    ];
    await distribute(edge, await makeBundle('binaries', '1.0', files));
    for (const file of files) {
      const res = await clientsOf(edge).artifactory.download(file.repoPath);
      expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(file.bytes));
    }
  });
});

describe('where the bytes are', () => {
  it('EDGE-BIN-1: the bucket holds only content keys, no staging left behind', async () => {
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const keys = ((await client.send(new ListObjectsV2Command({ Bucket: 'edge-e2e' }))).Contents ?? []).map((o) => o.Key ?? '');
    client.destroy();
    expect(keys).toContain(`edge/${sha256(body).slice(0, 2)}/${sha256(body)}`);
    expect(keys.filter((k) => !/^edge\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(k))).toEqual([]);
  });

  it('EDGE-BIN-4: each content is on two of the three shards', async () => {
    const copies = new Map<string, number>();
    for (const shard of ['a', 'b', 'c']) {
      for (const file of await readdir(join(work, shard), { recursive: true })) {
        const name = file.split('/').pop() ?? '';
        if (/^[0-9a-f]{64}$/.test(name)) copies.set(name, (copies.get(name) ?? 0) + 1);
      }
    }
    expect(copies.get(sha256(body))).toBe(2);
    expect(new Set(copies.values())).toEqual(new Set([2]));
  });
});
