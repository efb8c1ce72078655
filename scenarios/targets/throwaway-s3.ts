import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingComponent } from './target.ts';

/** A throwaway S3 server (s3rver, from the lockfile) on a free loopback port, its objects in a temp directory. */
export interface S3Server {
  endpoint: string;
  /** Where s3rver keeps the buckets (its file layout), for test fakes of the calls it does not answer. */
  directory: string;
  /** Makes a new, empty bucket. */
  bucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

const MISSING = 's3rver is not installed (npm ci installs it from the lockfile)';
const require = createRequire(import.meta.url);

function s3rverModule(): string {
  try {
    return require.resolve('s3rver');
  } catch {
    throw new Error(MISSING);
  }
}

/** The one line naming s3rver when it is missing; undefined when it is installed. */
export const s3rverMissing = (): string | undefined => missingComponent(s3rverModule);

/**
 * Started once per test file (beforeAll) and by the cluster deployment; a missing s3rver fails
 * with one line naming it. s3rver runs in a child process of its own, as a real object store
 * does: its work is not done on the event loop of whoever started it (the benchmarks send load
 * from that loop), and a crash of it is not theirs.
 */
export async function startS3Server(): Promise<S3Server> {
  const module = s3rverModule();
  const directory = await mkdtemp(join(tmpdir(), 'edgeproof-s3-'));
  const child = spawn(process.execPath, ['-e', CHILD], {
    env: { PATH: process.env.PATH ?? '', S3RVER_MODULE: module, S3RVER_DIRECTORY: directory },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let line = '';
      child.stdout.on('data', (chunk: Buffer) => {
        line += chunk;
        if (line.includes('\n')) resolve(Number(line.trim()));
      });
      void exited.then(() => reject(new Error(`s3rver stopped at start: ${output.trim().split('\n')[0]}`)));
    });
    const endpoint = `http://127.0.0.1:${port}`;
    return {
      endpoint,
      directory,
      async bucket(name) {
        // s3rver takes an unsigned CreateBucket.
        const res = await fetch(`${endpoint}/${name}`, { method: 'PUT' });
        if (!res.ok) throw new Error(`s3rver did not create bucket ${name}: ${res.status} ${await res.text()}`);
      },
      async stop() {
        child.stdin.end();
        await exited;
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The child: prints its port once listening; stops when its stdin ends (stop(), or the parent
 * gone). Its deleteObject leaves the key's emptied directories in place: s3rver 3.7.1 removes
 * them while a concurrent upload under the same prefix is between creating the directory and
 * opening its file, an unhandled ENOENT that kills the server (jamhall/s3rver#788; the Edge
 * stages every upload under `_staging/` and removes it on publish, so concurrent EDP uploads
 * meet it). A throwaway server's empty directories cost nothing.
 * Its putObject answers once its hashing stage has seen the last byte, not once the file has
 * it: a HEAD right after a PUT can find the object empty (0 bytes), which the Edge rightly
 * takes for damage (EDGE-BIN-1); under load a bundle of many small files met it. Here the
 * answer waits for the file (the part uploads, beyond one part, have the same race; the Edge
 * does not read a part back).
 */
const CHILD = `
const fs = require('node:fs/promises');
const { createWriteStream } = require('node:fs');
const { createHash } = require('node:crypto');
const { dirname } = require('node:path');
const { pipeline } = require('node:stream/promises');
const S3rver = require(process.env.S3RVER_MODULE);
const server = new S3rver({ address: '127.0.0.1', port: 0, directory: process.env.S3RVER_DIRECTORY, silent: true });
const store = server.store;
store.putObject = async (object) => {
  const path = store.getResourcePath(object.bucket, object.key, 'object');
  await fs.mkdir(dirname(path), { recursive: true });
  const md5 = createHash('md5');
  let size = 0;
  async function* hashed(source) {
    for await (const chunk of source) { md5.update(chunk); size += chunk.length; yield chunk; }
  }
  await pipeline(Buffer.isBuffer(object.content) ? [object.content] : object.content, hashed, createWriteStream(path));
  const digest = md5.digest('hex');
  await store.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};
store.deleteObject = (bucket, key) =>
  Promise.all(['object', 'object.md5', 'metadata.json'].map((kind) =>
    fs.unlink(store.getResourcePath(bucket, key, kind)).catch((error) => { if (error.code !== 'ENOENT') throw error; }),
  )).then(() => undefined);
server.run().then(({ port }) => process.stdout.write(port + '\\n'), (error) => { console.error(error.message); process.exit(1); });
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
process.stdin.resume();
`;
