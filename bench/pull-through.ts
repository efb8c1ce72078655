import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { getAll } from './get.ts';
import { payload } from './payload.ts';
import { sampleRss, serveEdge, type ServedEdge } from './serve.ts';

/**
 * Smart remote pull-through (EDGE-SR-4, EDGE-SR-7) in one run: an upstream (a second
 * `edgeproof serve` holding a file in its uploads repository) and an Edge with smart remotes
 * to it, both as child processes.
 *   1. a direct download from the upstream beside a cold pull-through of the same file through
 *      the Edge (MiB/s, the Edge's peak RSS);
 *   2. `--clients` concurrent requests for one uncached `--concurrent-mib` file, with the number
 *      of upstream GETs counted by a proxy in front of the upstream.
 *
 *   npm run bench:pull-through -- --size-mib 1024 --concurrent-mib 100 --clients 100
 *   npm run bench:pull-through -- --size-mib 64 --concurrent-mib 64      (a quick run)
 */
const MiB = 1024 * 1024;
const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const sizeMib = flag('--size-mib', 1024);
const concurrentMib = flag('--concurrent-mib', 100);
const clients = flag('--clients', 100);
const password = 'bench-admin-password';
const admin = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

const download = (url: string) => getAll(url, { authorization: admin, hash: true });

/** A pass-through proxy to the upstream that counts GETs per path: what reached the upstream. */
async function countingProxy(target: string): Promise<{ url: string; gets: Map<string, number>; close(): Promise<void> }> {
  const gets = new Map<string, number>();
  const { hostname, port } = new URL(target);
  const server = createServer((req, res) => {
    if (req.method === 'GET') gets.set(req.url ?? '', (gets.get(req.url ?? '') ?? 0) + 1);
    const upstream = httpRequest({ hostname, port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    gets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()) && server.closeAllConnections()),
  };
}

async function createRemote(edge: ServedEdge, key: string, url: string): Promise<void> {
  const res = await fetch(`${edge.url}/artifactory/api/repositories/${key}`, {
    method: 'PUT',
    headers: { authorization: admin, 'content-type': 'application/json' },
    body: JSON.stringify({ rclass: 'remote', url, username: 'admin', password, contentSynchronisation: { enabled: true } }),
  });
  if (res.status !== 200) throw new Error(`creating ${key}: ${res.status} ${await res.text()}`);
}

const dirs = [await mkdtemp(join(tmpdir(), 'edgeproof-bench-up-')), await mkdtemp(join(tmpdir(), 'edgeproof-bench-edge-'))];
const upstream = await serveEdge(['--data-dir', dirs[0] as string, '--admin-password', password]);
const edge = await serveEdge(['--data-dir', dirs[1] as string, '--admin-password', password]);
const proxy = await countingProxy(upstream.url);
try {
  const upClient = new ArtifactoryClient({ url: upstream.url, credentials: { user: 'admin', password } });
  const big = 'artifactory-edge-uploads/bench/big.bin';
  const shared = 'artifactory-edge-uploads/bench/shared.bin';
  await upClient.deploy(big, payload(sizeMib * MiB, 1), { size: sizeMib * MiB });
  await upClient.deploy(shared, payload(concurrentMib * MiB, 2), { size: concurrentMib * MiB });
  await createRemote(edge, 'direct', `${upstream.url}/artifactory/artifactory-edge-uploads`);
  await createRemote(edge, 'counted', `${proxy.url}/artifactory/artifactory-edge-uploads`);
  const pid = edge.child.pid as number;

  const direct = await download(`${upstream.url}/artifactory/${big}`);
  let sampler = sampleRss(pid);
  const cold = await download(`${edge.url}/artifactory/direct/bench/big.bin`);
  const coldRss = await sampler.stop();
  const warm = await download(`${edge.url}/artifactory/direct/bench/big.bin`);

  sampler = sampleRss(pid);
  const t0 = performance.now();
  const crowd = await Promise.all(Array.from({ length: clients }, () => download(`${edge.url}/artifactory/counted/bench/shared.bin`)));
  const crowdSeconds = (performance.now() - t0) / 1000;
  const crowdRss = await sampler.stop();
  const expected = crowd[0]?.sha256;
  const crowdOk = crowd.every((r) => r.status === 200 && r.complete && r.sha256 === expected && r.bytes === concurrentMib * MiB);
  const upstreamGets = proxy.gets.get('/artifactory/artifactory-edge-uploads/bench/shared.bin') ?? 0;

  const mib = (n: number) => (n / MiB).toFixed(1);
  const rate = (r: { seconds: number; bytes: number }) => (r.bytes / MiB / r.seconds).toFixed(1);
  const ok = direct.sha256 === cold.sha256 && cold.sha256 === warm.sha256 && cold.complete && crowdOk;
  console.log(`smart remote pull-through (node ${process.version}, ${new Date().toISOString()})`);
  console.log('| measurement | size | result |');
  console.log('|---|---|---|');
  console.log(`| direct download from the upstream Edge | ${sizeMib} MiB | ${rate(direct)} MiB/s |`);
  console.log(`| cold pull-through via the smart remote | ${sizeMib} MiB | ${rate(cold)} MiB/s, Edge peak RSS ${mib(coldRss.peak)} MiB |`);
  console.log(`| warm download from the cache | ${sizeMib} MiB | ${rate(warm)} MiB/s |`);
  console.log(
    `| ${clients} concurrent requests, one uncached file | ${concurrentMib} MiB | ${crowdSeconds.toFixed(1)} s, ${((clients * concurrentMib) / crowdSeconds).toFixed(1)} MiB/s served, Edge peak RSS ${mib(crowdRss.peak)} MiB, upstream GETs: ${upstreamGets} |`,
  );
  console.log(`bytes ${ok ? 'match' : 'DIFFER'} (sha256 ${cold.sha256})`);
  if (!ok || upstreamGets !== 1) process.exitCode = 1;
} finally {
  await proxy.close();
  await edge.stop();
  await upstream.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
