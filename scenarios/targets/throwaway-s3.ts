import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway S3 server (s3rver, from the lockfile) on a free loopback port, its objects in a temp directory. */
export interface S3Server {
  endpoint: string;
  /** Makes a new, empty bucket. */
  bucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  store: { putBucket(name: string): Promise<void> };
}

/** Started once per test file (beforeAll); a missing s3rver fails with one line naming it. */
export async function startS3Server(): Promise<S3Server> {
  let S3rver: new (options: object) => S3rverInstance;
  try {
    S3rver = createRequire(import.meta.url)('s3rver');
  } catch {
    throw new Error('s3rver is not installed (npm ci installs it from the lockfile)');
  }
  const directory = await mkdtemp(join(tmpdir(), 'edgeproof-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: (name) => server.store.putBucket(name),
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
