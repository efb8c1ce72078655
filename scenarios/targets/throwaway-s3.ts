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

const MISSING = 's3rver is not installed (npm ci installs it from the lockfile)';
const require = createRequire(import.meta.url);

/** The one line naming s3rver when it is missing; undefined when it is installed. */
export function s3rverMissing(): string | undefined {
  try {
    require.resolve('s3rver');
    return undefined;
  } catch {
    return MISSING;
  }
}

/** Started once per test file (beforeAll); a missing s3rver fails with one line naming it. */
export async function startS3Server(): Promise<S3Server> {
  let S3rver: new (options: object) => S3rverInstance;
  try {
    S3rver = require('s3rver');
  } catch {
    throw new Error(MISSING);
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
