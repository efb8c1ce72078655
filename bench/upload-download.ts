import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { payload } from './payload.ts';
import { rssOf, sampleRss, serveEdge } from './serve.ts';

/**
 * Streams one large artifact through `edgeproof serve` and back, sampling the server's RSS:
 * the Edge must keep memory flat whatever the size (EDGE-ART-2). Also times start-up on an
 * empty data directory.
 *
 *   npm run bench -- --size-mib 1024
 *
 * `--config <file>` is passed on to `edgeproof serve` (bench/binary-stores.ts names another binary store in it).
 */
const MiB = 1024 * 1024;
const sizeMib = Number(process.argv[process.argv.indexOf('--size-mib') + 1] || 1024);
const password = 'bench-admin-password';
const PATH = 'artifactory-edge-uploads/bench/big.bin';

async function upload(client: ArtifactoryClient, bytes: number): Promise<{ status: number; sha256: string }> {
  const hash = createHash('sha256');
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of payload(bytes)) {
      hash.update(chunk);
      yield chunk;
    }
  }
  await client.deploy(PATH, hashed(), { size: bytes });
  return { status: 201, sha256: hash.digest('hex') };
}

async function download(client: ArtifactoryClient): Promise<{ status: number; sha256: string; bytes: number; header: string }> {
  const res = await client.download(PATH);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of res.body ?? []) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { status: res.status, sha256: hash.digest('hex'), bytes, header: String(res.headers.get('x-checksum-sha256')) };
}

const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-bench-'));
const configAt = process.argv.indexOf('--config');
const config = configAt > 0 ? ['--config', process.argv[configAt + 1] ?? ''] : [];
const edge = await serveEdge(['--data-dir', dataDir, '--admin-password', password, ...config]);
const client = new ArtifactoryClient({ url: edge.url, credentials: { user: 'admin', password } });
try {
  const pid = edge.child.pid as number;
  const idle = await rssOf(pid);
  const bytes = sizeMib * MiB;

  let sampler = sampleRss(pid);
  let t0 = performance.now();
  const up = await upload(client, bytes);
  const upSeconds = (performance.now() - t0) / 1000;
  const upRss = await sampler.stop();

  sampler = sampleRss(pid);
  t0 = performance.now();
  const down = await download(client);
  const downSeconds = (performance.now() - t0) / 1000;
  const downRss = await sampler.stop();

  const ok = up.status === 201 && down.status === 200 && down.sha256 === up.sha256 && down.header === up.sha256 && down.bytes === bytes;
  const mib = (n: number) => (n / MiB).toFixed(1);
  console.log(`edgeproof serve, one ${sizeMib} MiB artifact (node ${process.version}, ${new Date().toISOString()})`);
  console.log(`  start-up on an empty data dir : ${edge.startupMs.toFixed(0)} ms`);
  console.log(`  RSS idle after start          : ${mib(idle)} MiB`);
  console.log(`  upload   : ${(sizeMib / upSeconds).toFixed(1)} MiB/s, peak RSS ${mib(upRss.peak)} MiB (${upRss.samples} samples)`);
  console.log(`  download : ${(sizeMib / downSeconds).toFixed(1)} MiB/s, peak RSS ${mib(downRss.peak)} MiB (${downRss.samples} samples)`);
  console.log(`  round trip sha256 ${ok ? 'matches' : 'DIFFERS'}: ${down.sha256}`);
  if (!ok) process.exitCode = 1;
} finally {
  await edge.stop();
  await rm(dataDir, { recursive: true, force: true });
}
