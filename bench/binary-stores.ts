import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One large artifact up and down through an Edge on its local filestore and on S3 (s3rver,
 * from the lockfile, on loopback; EDGE-BIN-1), by bench/upload-download.ts for each: MiB/s and
 * the Edge's peak RSS, which must stay flat with S3 too (parts of bounded size).
 *
 *   node --import tsx bench/binary-stores.ts --size-mib 1024
 */
const sizeMib = process.argv[process.argv.indexOf('--size-mib') + 1] || '1024';
const work = await mkdtemp(join(tmpdir(), 'edgeproof-bench-binaries-'));
const S3rver = createRequire(import.meta.url)('s3rver');
const s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: join(work, 's3'), silent: true, configureBuckets: [{ name: 'bench' }] });
const { port } = (await s3.run()) as AddressInfo;

/** bench/upload-download.ts in its own process, its report passed through. */
function uploadDownload(args: string[]): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'upload-download.ts'), '--size-mib', sizeMib, ...args], {
      stdio: 'inherit',
    });
    child.once('close', done);
  });
}

try {
  console.log('== local filestore');
  const local = await uploadDownload([]);
  const config = join(work, 's3.json');
  const s3Config = {
    binariesType: 's3',
    s3Endpoint: `http://127.0.0.1:${port}`,
    s3Bucket: 'bench',
    s3AccessKeyId: 'S3RVER',
    s3SecretAccessKey: 'S3RVER',
    s3ForcePathStyle: true,
  };
  await writeFile(config, JSON.stringify(s3Config));
  console.log('== S3 (s3rver on loopback)');
  const remote = await uploadDownload(['--config', config]);
  if (local !== 0 || remote !== 0) process.exitCode = 1;
} finally {
  await s3.close();
  await rm(work, { recursive: true, force: true });
}
