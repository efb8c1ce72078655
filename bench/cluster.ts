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
    pids: () => deployment.nodes.map((node) => node.pid).filter((pid) => pid !== undefined),
    deployment,
  };
}

/** Every side once per round, the first side moving on each round so none is always first after a pause. */
async function alternate(sides: readonly Side[], rounds: number, one: (side: Side, round: number) => Promise<void>): Promise<void> {
  for (let round = 0; round < rounds; round++) for (let i = 0; i < sides.length; i++) await one(sides[(round + i) % sides.length] as Side, round);
}

/** The rows of sides[1..] against sides[0], the single SQLite node. */
function againstFirst<T>(
  sides: readonly Side[],
  runs: Map<Side, T[]>,
  row: (side: Side, own: T[], reference: T[]) => Omit<Row, 'benchmark' | 'reference' | 'ratio' | 'goal' | 'met'> & { rate: (t: T) => number },
  benchmark: string,
  describe: (runs: T[]) => string,
): Row[] {
  const [first, ...others] = sides as [Side, ...Side[]];
  const reference = runs.get(first) ?? [];
  return others.map((side) => {
    const own = runs.get(side) ?? [];
    const { rate, ...rest } = row(side, own, reference);
    return {
      benchmark: `${benchmark}: ${side.name}`,
      reference: `${first.name} ${describe(reference)}`,
      ratio: median(own.map((r, i) => rate(r) / rate(reference[i] as T))),
      goal: '— (reported)',
      met: undefined,
      ...rest,
    };
  });
}

/** 4 KiB GETs with basic auth from `connections` keep-alive connections, on every side. */
export async function clusterGet(sides: readonly Side[], settings: ClusterSettings): Promise<Row[]> {
  const authorization = basic(USER);
  const round = (side: Side, seconds = settings.seconds) =>
    load(`${side.url}/artifactory/${SMALL_PATH}`, { connections: settings.connections, seconds, authorization });
  const warm = Math.max(1, Math.round(settings.seconds / 2));
  for (const side of sides) await round(side, warm);
  const runs = new Map<Side, LoadResult[]>(sides.map((side) => [side, []]));
  const { peakMib } = await peakRssWhile(
    sides.flatMap((side) => side.pids()),
    () => alternate(sides, settings.rounds, async (side) => void runs.get(side)?.push(await round(side))),
  );
  return againstFirst(
    sides,
    runs,
    (side, own, reference) => ({
      figure: describeLoad(own),
      failures: loadFailures([...own, ...reference]),
      peakRssMib: peakMib(side.pids()),
      raw: { own, reference },
      rate: (r: LoadResult) => r.requestsPerSec,
    }),
    `4 KiB GET, ${settings.connections} connections, basic auth`,
    describeLoad,
  );
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
  const rate = (r: Ingest) => r.mibPerSec;
  const wrong = (all: Ingest[]) => all.filter((r) => r.stored !== r.sent).map((r) => `stored sha256 ${r.stored}, sent ${r.sent}`);
  return againstFirst(
    sides,
    runs,
    (side, own, reference) => ({
      figure: `${withSpread(own.map(rate))} MiB/s`,
      failures: wrong([...own, ...reference]),
      peakRssMib: peakMib(side.pids()),
      raw: { own, reference },
      rate,
    }),
    `${fmt(settings.sizeMib)} MiB upload (PUT)`,
    (all) => `${withSpread(all.map(rate))} MiB/s`,
  );
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
  const mibPerSec = (r: LargeFileResult) => r.mibPerSec;
  const filesPerSec = (r: ManyFilesResult) => r.filesPerSec;
  return [
    ...againstFirst(
      sides,
      big,
      (side, own, reference) => ({
        figure: `${withSpread(own.map(mibPerSec))} MiB/s`,
        failures: [],
        peakRssMib: peakMib(side.pids()),
        raw: { own, reference },
        rate: mibPerSec,
      }),
      `EDP bundle of 1 file of ${fmt(settings.sizeMib)} MiB`,
      (all) => `${withSpread(all.map(mibPerSec))} MiB/s`,
    ),
    ...againstFirst(
      sides,
      many,
      (side, own, reference) => ({
        figure: `${withSpread(own.map(filesPerSec))} files/s, commit ${fmt(median(own.map((r) => r.commitMs)))} ms`,
        failures: [],
        peakRssMib: peakMib(side.pids()),
        raw: { own, reference },
        rate: filesPerSec,
      }),
      `EDP bundle of ${fmt(settings.files)} × 4 KiB, 8 uploads at a time`,
      (all) => `${withSpread(all.map(filesPerSec))} files/s`,
    ),
  ];
}
