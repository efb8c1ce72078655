import { createHash } from 'node:crypto';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { clusterComponentMissing, deployCluster, type ClusterDeployment } from '../scenarios/targets/cluster-deployment.ts';
import { ADMIN, BUNDLE_REPO, PASSWORD, REPO, SMALL_PATH, USER, basic, prepareBenchEdge } from './bench-edge.ts';
import { largeFileBundle, type LargeFileResult } from './large-file-bundle.ts';
import { describeLoad, load, loadFailures, type LoadResult } from './load.ts';
import { manyFilesBundle, type ManyFilesResult } from './many-files-bundle.ts';
import { payload } from './payload.ts';
import type { Row } from './row.ts';
import { peakRssWhile } from './serve.ts';
import { fmt, median, withSpread } from './stats.ts';

/**
 * Issue #14's figures: what the shared stores cost and what more nodes buy. The same work is
 * sent, in alternating rounds, to one Edge on SQLite and its local disk (reached directly) and
 * to Edges on PostgreSQL and S3 (s3rver) behind nginx — one node, then three — started as the
 * harness's cluster target starts them (scenarios/targets/cluster-deployment.ts). No goal: the
 * ratio to the single SQLite node is the figure.
 */

const MiB = 1024 * 1024;

/** Where a benchmark sends its requests, and which processes serve them. */
export interface Side {
  name: string;
  url: string;
  /** Each serving process's own URL, past any load balancer. */
  nodeUrls: string[];
  pids(): number[];
}

export interface ClusterSettings {
  rounds: number;
  seconds: number;
  sizeMib: number;
  connections: number;
  files: number;
}

/** The one line a skipped cluster benchmark prints, or undefined when everything it needs is installed. */
export const clusterSkipReason = clusterComponentMissing;

/** Edges on PostgreSQL + S3, as many nodes as asked, each prepared as bench-edge.ts prepares an Edge. */
export async function pgS3Side(nodes: number): Promise<Side & { deployment: ClusterDeployment }> {
  const deployment = await deployCluster({
    nodes,
    adminPassword: PASSWORD,
    // Commits as durable as the SQLite Edge's; hot content served from the nodes' disks, as a
    // production deployment on an object store would (decision 0024).
    durable: true,
    env: { EDGEPROOF_BINARIES_CACHE_MAX_BYTES: String(256 * MiB) },
  });
  try {
    await prepareBenchEdge(deployment.url);
  } catch (error) {
    await deployment.stop();
    throw error;
  }
  return {
    name: `${nodes} node${nodes > 1 ? 's' : ''}, PostgreSQL + S3, behind nginx`,
    url: deployment.url,
    nodeUrls: deployment.nodes.map((node) => node.url),
    pids: () => deployment.nodes.map((node) => node.pid).filter((pid) => pid !== undefined),
    deployment,
  };
}

/** Every side once per round, the first side moving on each round so none is always first after a pause. */
async function alternate(sides: readonly Side[], rounds: number, one: (side: Side, round: number) => Promise<void>): Promise<void> {
  for (let round = 0; round < rounds; round++) for (let i = 0; i < sides.length; i++) await one(sides[(round + i) % sides.length] as Side, round);
}

interface RowsSpec<T> {
  benchmark: string;
  /** The figure the ratio is taken of, higher is better. */
  rate: (run: T) => number;
  describe: (runs: T[]) => string;
  /** What makes a side's figure meaningless (errors, wrong bytes). */
  failures?: (runs: T[]) => string[];
  peakRssMib: (side: Side) => number;
}

/** A row for each of sides[1..], against sides[0] (the single SQLite node): the median of the per-round ratios. */
function againstFirst<T>(sides: readonly Side[], runs: Map<Side, T[]>, spec: RowsSpec<T>): Row[] {
  const [first, ...others] = sides as [Side, ...Side[]];
  const reference = runs.get(first) ?? [];
  return others.map((side) => {
    const own = runs.get(side) ?? [];
    return {
      benchmark: `${spec.benchmark}: ${side.name}`,
      figure: spec.describe(own),
      reference: `${first.name} ${spec.describe(reference)}`,
      ratio: median(own.map((run, i) => spec.rate(run) / spec.rate(reference[i] as T))),
      goal: '— (reported)',
      met: undefined,
      failures: spec.failures?.([...own, ...reference]) ?? [],
      peakRssMib: spec.peakRssMib(side),
      raw: { own, reference },
    };
  });
}

/** 4 KiB GETs with basic auth from `connections` keep-alive connections, on every side. */
export async function clusterGet(sides: readonly Side[], settings: ClusterSettings): Promise<Row[]> {
  const authorization = basic(USER);
  const round = (side: Side, seconds = settings.seconds) =>
    load(`${side.url}/artifactory/${SMALL_PATH}`, { connections: settings.connections, seconds, authorization });
  // Each node first checks the password (scrypt) and, on S3, fetches the file into its cache:
  // a few requests to every node directly, so a short round does not time that; then a round.
  for (const url of sides.flatMap((side) => side.nodeUrls))
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${url}/artifactory/${SMALL_PATH}`, { headers: { authorization } });
      await res.arrayBuffer();
    }
  const warm = Math.max(1, Math.round(settings.seconds / 2));
  for (const side of sides) await round(side, warm);
  const runs = new Map<Side, LoadResult[]>(sides.map((side) => [side, []]));
  const { peakMib } = await peakRssWhile(
    sides.flatMap((side) => side.pids()),
    () => alternate(sides, settings.rounds, async (side) => void runs.get(side)?.push(await round(side))),
  );
  return againstFirst(sides, runs, {
    benchmark: `4 KiB GET, ${settings.connections} connections, basic auth`,
    rate: (r) => r.requestsPerSec,
    describe: describeLoad,
    failures: loadFailures,
    peakRssMib: (side) => peakMib(side.pids()),
  });
}

interface Ingest {
  mibPerSec: number;
  /** The SHA-256 the Edge reports storing, beside the one sent. */
  stored: string | undefined;
  sent: string;
}

/** One `sizeMib` upload (PUT) per side and round, the same bytes on every side of a round. */
export async function clusterIngest(sides: readonly Side[], settings: ClusterSettings): Promise<Row[]> {
  const bytes = settings.sizeMib * MiB;
  const runs = new Map<Side, Ingest[]>(sides.map((side) => [side, []]));
  const sent: string[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const hash = createHash('sha256');
    for await (const chunk of payload(bytes, 100 + round)) hash.update(chunk);
    sent.push(hash.digest('hex'));
  }
  const { peakMib } = await peakRssWhile(
    sides.flatMap((side) => side.pids()),
    () =>
      alternate(sides, settings.rounds, async (side, round) => {
        const client = new ArtifactoryClient({ url: side.url, credentials: ADMIN });
        const t0 = performance.now();
        const created = await client.deploy(`${REPO}/bench/ingest.bin`, payload(bytes, 100 + round), { size: bytes });
        const mibPerSec = bytes / MiB / ((performance.now() - t0) / 1000);
        runs.get(side)?.push({ mibPerSec, stored: created.checksums?.sha256, sent: sent[round] as string });
      }),
  );
  return againstFirst(sides, runs, {
    benchmark: `${fmt(settings.sizeMib)} MiB upload (PUT)`,
    rate: (r) => r.mibPerSec,
    describe: (all) => `${withSpread(all.map((r) => r.mibPerSec))} MiB/s`,
    failures: (all) => all.filter((r) => r.stored !== r.sent).map((r) => `stored sha256 ${r.stored}, sent ${r.sent}`),
    peakRssMib: (side) => peakMib(side.pids()),
  });
}

/**
 * EDP ingest (bench/bundle-ingest.ts's two bundles: one large file, then many 4 KiB files 8 at
 * a time) into one node on each store, reached directly.
 */
export async function storeIngest(sides: readonly Side[], settings: ClusterSettings): Promise<Row[]> {
  const big = new Map<Side, LargeFileResult[]>(sides.map((side) => [side, []]));
  const many = new Map<Side, ManyFilesResult[]>(sides.map((side) => [side, []]));
  const { peakMib } = await peakRssWhile(
    sides.flatMap((side) => side.pids()),
    () =>
      alternate(sides, settings.rounds, async (side, round) => {
        const bytes = settings.sizeMib * MiB;
        big.get(side)?.push(await largeFileBundle(side.url, ADMIN, { name: `store-big-${round}`, bytes, seed: 200 + round, repo: BUNDLE_REPO }));
        const options = { name: `store-many-${round}`, files: settings.files, fileKib: 4, concurrency: 8, repo: BUNDLE_REPO };
        many.get(side)?.push(await manyFilesBundle(side.url, ADMIN, options));
      }),
  );
  const peakRssMib = (side: Side) => peakMib(side.pids());
  return [
    ...againstFirst(sides, big, {
      benchmark: `EDP bundle of 1 file of ${fmt(settings.sizeMib)} MiB`,
      rate: (r) => r.mibPerSec,
      describe: (all) => `${withSpread(all.map((r) => r.mibPerSec))} MiB/s`,
      peakRssMib,
    }),
    ...againstFirst(sides, many, {
      benchmark: `EDP bundle of ${fmt(settings.files)} × 4 KiB, 8 uploads at a time`,
      rate: (r) => r.filesPerSec,
      describe: (all) => `${withSpread(all.map((r) => r.filesPerSec))} files/s, commit ${fmt(median(all.map((r) => r.commitMs)))} ms`,
      peakRssMib,
    }),
  ];
}
