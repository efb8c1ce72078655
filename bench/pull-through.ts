import { createWriteStream } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { ADMIN, PASSWORD, REPO, basic } from './bench-edge.ts';
import { digestPass } from './digests.ts';
import { getAll, type Got } from './get.ts';
import type { Nginx } from './nginx.ts';
import { payload } from './payload.ts';
import { TRANSFER_GOAL, throughputRow, type Row } from './row.ts';
import { peakRssWhile, serveEdge, type ServedEdge } from './serve.ts';
import { fmt, median, withSpread } from './stats.ts';

/**
 * Smart remote pull-through (EDGE-SR-4, EDGE-SR-7) for `npm run bench -- --only pull-through`
 * (issue #13): an upstream (a second `edgeproof serve` holding the files in its uploads
 * repository) and the bench's Edge with smart remotes to it, each round:
 *   1. a direct download of a `sizeMib` file from the upstream, then a cold pull-through of it
 *      (both hashed and checked); no goal, the ratio is the figure;
 *   2. nginx serving the same bytes, then the Edge serving them from its cache (goal 0.8×, the
 *      large GET's), unless nginx is missing;
 *   3. `clients` concurrent requests for one uncached `concurrentMib` file through a remote
 *      whose upstream is reached through a proxy that counts the GETs (goal: one).
 * Between rounds an admin DELETE empties the cache (EDGE-SR-16), so every round is cold again.
 */

const MiB = 1024 * 1024;
const LARGE = 'bench/pull.bin';
const SHARED = 'bench/shared.bin';
/** A remote straight to the upstream, and one through the counting proxy. */
const DIRECT_REMOTE = 'bench-remote';
const COUNTED_REMOTE = 'bench-remote-counted';

export interface PullThroughSettings {
  rounds: number;
  sizeMib: number;
  clients: number;
  concurrentMib: number;
  /** A folder of its own for the upstream's data. */
  dir: string;
  /** nginx's root: the large file is written there for the warm row. */
  www: string;
}

export interface PullThroughResult {
  rows: Row[];
  /** Parts left out, each with the one line saying why. */
  skipped: string[];
}

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

/** What makes a download's figure meaningless: a status, a short body, other bytes. */
function wrong(who: string, got: Got, bytes: number, sha256?: string): string | undefined {
  if (got.status !== 200 || !got.complete || got.bytes !== bytes) return `${who}: status ${got.status}, ${got.bytes} of ${bytes} bytes`;
  if (sha256 !== undefined && got.sha256 !== sha256) return `${who}: sha256 ${got.sha256}, expected ${sha256}`;
  return undefined;
}

export async function pullThrough(edge: ServedEdge, nginx: Nginx | undefined, settings: PullThroughSettings): Promise<PullThroughResult> {
  const { rounds, clients } = settings;
  const bytes = settings.sizeMib * MiB;
  const sharedBytes = settings.concurrentMib * MiB;
  const authorization = basic(ADMIN);
  const skipped = nginx ? [] : ['pull-through warm GET skipped: nginx, its reference, is missing'];
  const upstream = await serveEdge(['--data-dir', settings.dir, '--admin-password', PASSWORD]);
  const proxy = await countingProxy(upstream.url);
  try {
    const upClient = new ArtifactoryClient({ url: upstream.url, credentials: ADMIN });
    await upClient.deploy(`${REPO}/${LARGE}`, payload(bytes, 300), { size: bytes });
    await upClient.deploy(`${REPO}/${SHARED}`, payload(sharedBytes, 301), { size: sharedBytes });
    if (nginx) await pipeline(payload(bytes, 300), createWriteStream(join(settings.www, 'pull.bin')));
    const large = (await digestPass(bytes, 300)).sha256;
    const shared = (await digestPass(sharedBytes, 301)).sha256;
    const admin = new ArtifactoryClient({ url: edge.url, credentials: ADMIN });
    const remote = (url: string) => ({ rclass: 'remote', url, username: ADMIN.user, password: ADMIN.password, contentSynchronisation: { enabled: true } });
    await admin.createRepository(DIRECT_REMOTE, remote(`${upstream.url}/artifactory/${REPO}`));
    await admin.createRepository(COUNTED_REMOTE, remote(`${proxy.url}/artifactory/${REPO}`));

    const direct = () => getAll(`${upstream.url}/artifactory/${REPO}/${LARGE}`, { authorization, hash: true });
    const through = (hash: boolean) => getAll(`${edge.url}/artifactory/${DIRECT_REMOTE}/${LARGE}`, { authorization, hash });
    const reference = () => getAll(`${(nginx as Nginx).url}/pull.bin`);
    const forget = (path: string) => admin.delete(path);
    const failures = { cold: [] as string[], warm: [] as string[], crowd: [] as string[] };
    const note = (list: string[], problem: string | undefined): void => {
      if (problem) list.push(problem);
    };

    // Warm-up, unmeasured and checked: the page cache, the JIT, the connection paths; one cold
    // pull, one warm GET hashed (the timed warm GETs are not), then the cache emptied again.
    note(failures.cold, wrong('direct, warm-up', await direct(), bytes, large));
    note(failures.cold, wrong('cold, warm-up', await through(true), bytes, large));
    note(failures.warm, wrong('warm, warm-up', await through(true), bytes, large));
    if (nginx) note(failures.warm, wrong('nginx, warm-up', await reference(), bytes));
    await forget(`${DIRECT_REMOTE}/${LARGE}`);

    const runs = { direct: [] as number[], cold: [] as number[], nginx: [] as number[], warm: [] as number[] };
    const crowd: { seconds: number; upstreamGets: number }[] = [];
    const rate = (got: Got) => bytes / MiB / got.seconds;
    const { peakMib } = await peakRssWhile([edge.child.pid as number], async () => {
      for (let round = 0; round < rounds; round++) {
        const up = await direct();
        note(failures.cold, wrong(`direct, round ${round}`, up, bytes, large));
        runs.direct.push(rate(up));
        const cold = await through(true);
        note(failures.cold, wrong(`cold, round ${round}`, cold, bytes, large));
        runs.cold.push(rate(cold));
        if (nginx) {
          const ref = await reference();
          note(failures.warm, wrong(`nginx, round ${round}`, ref, bytes));
          runs.nginx.push(rate(ref));
          const warm = await through(false);
          note(failures.warm, wrong(`warm, round ${round}`, warm, bytes));
          runs.warm.push(rate(warm));
        }
        await forget(`${DIRECT_REMOTE}/${LARGE}`);

        proxy.gets.clear();
        const t0 = performance.now();
        const got = await Promise.all(
          Array.from({ length: clients }, () => getAll(`${edge.url}/artifactory/${COUNTED_REMOTE}/${SHARED}`, { authorization, hash: true })),
        );
        crowd.push({ seconds: (performance.now() - t0) / 1000, upstreamGets: proxy.gets.get(`/artifactory/${REPO}/${SHARED}`) ?? 0 });
        for (const [i, one] of got.entries()) note(failures.crowd, wrong(`client ${i}, round ${round}`, one, sharedBytes, shared));
        await forget(`${COUNTED_REMOTE}/${SHARED}`);
      }
    });
    const peakRssMib = peakMib();
    const size = `${fmt(settings.sizeMib)} MiB`;
    const rows = [
      throughputRow(
        `${size} cold pull-through (smart remote), admin basic auth`,
        runs.cold,
        'direct download from the upstream Edge',
        runs.direct,
        failures.cold,
        peakRssMib,
        undefined,
      ),
    ];
    if (nginx)
      rows.push(
        throughputRow(`${size} warm GET from the smart remote's cache`, runs.warm, 'nginx (sendfile)', runs.nginx, failures.warm, peakRssMib, TRANSFER_GOAL),
      );
    const seconds = crowd.map((c) => c.seconds);
    rows.push({
      benchmark: `${fmt(clients)} concurrent cold GETs of one ${fmt(settings.concurrentMib)} MiB file (smart remote)`,
      figure: `upstream GETs ${crowd.map((c) => c.upstreamGets).join(', ')}; ${withSpread(seconds, 2)} s, ${fmt((clients * settings.concurrentMib) / median(seconds))} MiB/s served, every SHA-256 checked`,
      reference: '— (one upstream transfer per file, EDGE-SR-7)',
      ratio: undefined,
      goal: '1 upstream GET a round',
      met: crowd.every((c) => c.upstreamGets === 1),
      failures: failures.crowd,
      peakRssMib,
      raw: crowd,
    });
    return { rows, skipped };
  } finally {
    await proxy.close();
    await upstream.stop();
  }
}
