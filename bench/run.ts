import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { describeDatabase, freshPostgresDatabase } from '../edge/index.ts';
import { AccessClient, ArtifactoryClient } from '../protocol/clients/index.ts';
import { ADMIN, BUNDLE_REPO, PASSWORD, REPO, SMALL_BYTES, SMALL_PATH, USER, basic, prepareBenchEdge } from './bench-edge.ts';
import { digestPass } from './digests.ts';
import { clusterGet, clusterIngest, clusterSkipReason, pgS3Side, storeIngest, type ClusterSettings, type Side } from './cluster.ts';
import { getAll } from './get.ts';
import { httpFetch } from './http-fetch.ts';
import { describeLoad, load, loadFailures, type LoadResult } from './load.ts';
import { growthPoint, type GrowthPoint } from './growth.ts';
import { fanOut, fanOutSkipReason } from './fan-out.ts';
import { harnessSpeed } from './harness-speed.ts';
import { manyFilesBundle, type ManyFilesResult } from './many-files-bundle.ts';
import { NGINX_SETUP, nginxBinary, startNginx, type Nginx } from './nginx.ts';
import { payload } from './payload.ts';
import { pullThrough } from './pull-through.ts';
import { largeFileBundle } from './large-file-bundle.ts';
import { TRANSFER_GOAL, throughputRow, type Row } from './row.ts';
import { peakRssWhile, serveEdge, type ServedEdge } from './serve.ts';
import { fmt, median, withSpread } from './stats.ts';

/**
 * `npm run bench`: the Edge beside its references, measured in the same run (issue #13), each
 * benchmark in rounds that alternate the Edge and its reference so the machine's noise hits
 * both; the ratio is the median of the per-round ratios.
 *
 *   npm run bench                       every benchmark, full size, 5 rounds (a few minutes)
 *   npm run bench -- --quick            every benchmark tiny, once: a smoke run, speed not judged
 *   npm run bench -- --only small-get --rounds 3 --seconds 5
 *   npm run bench -- --only pull-through --size-mib 256 --clients 100 --concurrent-mib 32
 *   npm run bench -- --only bundle-ingest --database-url postgres://user@host/postgres
 *       the main Edge's metadata on that PostgreSQL server (a fresh database there, dropped after)
 *   npm run bench -- --only small-get --cpu-prof /tmp/prof    the Edge's V8 CPU profile, for
 *       node --import tsx bench/profile-summary.ts /tmp/prof/*.cpuprofile
 *   npm run bench -- --only bundle-ingest --loop-probe    the Edge's event-loop busy share and
 *       delays during the bundle rounds (bench/loop-probe.ts)
 *
 *   npm run bench -- --only fan-out --edges 1,4,8 --fan-out-mib 200 --fan-out-files 500
 *       one bundle from the simulated Distribution to that many served Edges at once (bench/fan-out.ts)
 *   npm run bench -- --only harness    the conformance run's wall time, property runs/s (bench/harness-speed.ts)
 *
 * Prints a Markdown table and writes it, with the raw rounds as JSON, under bench/results/.
 */
const MiB = 1024 * 1024;
const argv = process.argv.slice(2);
/** The arguments as the results show them: a database URL by its host and name, never its password. */
const shownArgv = argv.map((arg, i) =>
  argv[i - 1] === '--database-url'
    ? `postgresql ${describeDatabase(arg)}`
    : arg.startsWith('--database-url=')
      ? `--database-url=postgresql ${describeDatabase(arg.slice(15))}`
      : arg,
);
/** Bad arguments end the run before anything starts, in one line (exit 2), not in a stack trace. */
const refuse = (message: string): never => {
  console.error(`bench: ${message} (npm run bench -- --help lists the options)`);
  process.exit(2);
};
const NUMBERS = ['rounds', 'size-mib', 'seconds', 'connections', 'files', 'clients', 'concurrent-mib', 'fan-out-mib', 'fan-out-files'] as const;
const parsed = (() => {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(NUMBERS.map((name) => [name, { type: 'string' as const }])),
        quick: { type: 'boolean' },
        only: { type: 'string' },
        edges: { type: 'string' },
        'cpu-prof': { type: 'string' },
        'loop-probe': { type: 'boolean' },
        'database-url': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    return refuse((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
})();
const flag = (name: string) => parsed[name] === true;
const text = (name: string) => parsed[name] as string | undefined;
const positive = (name: string, value: string | undefined) => {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : refuse(`--${name} takes a positive whole number, not ${JSON.stringify(value ?? '')}`);
};
const option = (name: (typeof NUMBERS)[number], fallback: number) => (text(name) === undefined ? fallback : positive(name, text(name)));
const quick = flag('quick');
const rounds = option('rounds', quick ? 1 : 5);
const sizeMib = option('size-mib', quick ? 8 : 1024);
const seconds = option('seconds', quick ? 1 : 5);
const connections = option('connections', 64);
const profileDir = text('cpu-prof');
const loopProbe = flag('loop-probe');
const databaseServer = text('database-url');
const only = text('only') === undefined ? undefined : new Set(String(text('only')).split(','));
const files = option('files', quick ? 100 : 2000);
/** pull-through's crowd: this many concurrent cold requests for one file of this size. */
const clients = option('clients', 100);
const concurrentMib = option('concurrent-mib', quick ? 1 : 32);
const fanOutMib = option('fan-out-mib', quick ? 4 : 200);
const fanOutFiles = option('fan-out-files', quick ? 20 : 500);
const fanOutWidths =
  text('edges') === undefined
    ? quick
      ? [1, 2]
      : [1, 4, 8]
    : String(text('edges'))
        .split(',')
        .map((width) => positive('edges', width));
const BENCHMARKS = [
  'large-get',
  'small-get',
  'ping',
  'upload',
  'edp-large',
  'bundle-ingest',
  'pull-through',
  'workers-get',
  'growth',
  'cluster-get',
  'cluster-ingest',
  'store-ingest',
  'fan-out',
  'harness',
] as const;
type Benchmark = (typeof BENCHMARKS)[number];
if (flag('help')) {
  console.log(`npm run bench -- [--quick] [--only ${BENCHMARKS.join(',')}]
  [--rounds N] [--size-mib N] [--seconds N] [--connections N] [--files N] [--clients N] [--concurrent-mib N]
  [--fan-out-mib N] [--fan-out-files N] [--edges 1,4,8] [--cpu-prof DIR] [--loop-probe] [--database-url URL]
What each does: the opening comment of bench/run.ts, and the README's benchmark section.`);
  process.exit(0);
}
for (const name of only ?? []) {
  if (!(BENCHMARKS as readonly string[]).includes(name)) refuse(`--only names ${JSON.stringify(name)}, not one of ${BENCHMARKS.join(', ')}`);
}
const selected = (name: Benchmark) => !only || only.has(name);
const CLUSTER_BENCHMARKS: readonly Benchmark[] = ['cluster-get', 'cluster-ingest', 'store-ingest'];

const rows: Row[] = [];
/** Benchmarks left out, each with the one line saying why. */
const skipped: string[] = [];

/** Peak RSS of the Edge while `work` runs, in MiB. */
async function measuringRss<T>(edge: ServedEdge, work: () => Promise<T>): Promise<{ value: T; peakRssMib: number }> {
  const { value, peakMib } = await peakRssWhile([edge.child.pid as number], work);
  return { value, peakRssMib: peakMib() };
}

async function largeGet(edge: ServedEdge, nginx: Nginx): Promise<void> {
  const bytes = sizeMib * MiB;
  const edgeUrl = `${edge.url}/artifactory/${REPO}/bench/large.bin`;
  const nginxUrl = `${nginx.url}/large.bin`;
  const failures: string[] = [];
  const check = (who: string, got: Awaited<ReturnType<typeof getAll>>) => {
    if (got.status !== 200 || got.bytes !== bytes || !got.complete) failures.push(`${who}: status ${got.status}, ${got.bytes} of ${bytes} bytes`);
    return bytes / MiB / got.seconds;
  };
  // Warm-up: the page cache, the JIT and the connection paths of both.
  await getAll(nginxUrl);
  await getAll(edgeUrl, { authorization: basic(USER) });
  const { value, peakRssMib } = await measuringRss(edge, async () => {
    const result = { edge: [] as number[], nginx: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      result.nginx.push(check('nginx', await getAll(nginxUrl)));
      result.edge.push(check('Edge', await getAll(edgeUrl, { authorization: basic(USER) })));
    }
    return result;
  });
  rows.push(throughputRow(`${fmt(sizeMib)} MiB GET, basic auth`, value.edge, 'nginx (sendfile)', value.nginx, failures, peakRssMib, TRANSFER_GOAL));
}

async function smallGets(edge: ServedEdge, nginx: Nginx, token: string): Promise<void> {
  const edgeUrl = `${edge.url}/artifactory/${SMALL_PATH}`;
  const variants = [
    { name: 'basic auth', authorization: basic(USER), goal: 0.5 },
    { name: 'bearer token', authorization: `Bearer ${token}`, goal: 0.5 },
    { name: 'anonymous', authorization: undefined, goal: undefined },
  ];
  const round = (url: string, authorization?: string, secs = seconds) => load(url, { connections, seconds: secs, authorization });
  // Warm-up: a short round of each, unmeasured.
  const warm = Math.max(1, Math.round(seconds / 2));
  await round(`${nginx.url}/small.bin`, undefined, warm);
  for (const v of variants) await round(edgeUrl, v.authorization, warm);
  const results = { nginx: [] as LoadResult[], ...Object.fromEntries(variants.map((v) => [v.name, [] as LoadResult[]])) } as Record<string, LoadResult[]>;
  const { peakRssMib } = await measuringRss(edge, async () => {
    for (let r = 0; r < rounds; r++) {
      results.nginx?.push(await round(`${nginx.url}/small.bin`));
      for (const v of variants) results[v.name]?.push(await round(edgeUrl, v.authorization));
    }
  });
  const nginxRuns = results.nginx as LoadResult[];
  for (const v of variants) {
    const runs = results[v.name] as LoadResult[];
    const ratio = median(runs.map((r, i) => r.requestsPerSec / (nginxRuns[i] as LoadResult).requestsPerSec));
    rows.push({
      benchmark: `4 KiB GET, ${connections} connections, ${v.name}`,
      figure: describeLoad(runs),
      reference: `nginx ${describeLoad(nginxRuns)}`,
      ratio,
      goal: v.goal === undefined ? '—' : `≥ ${v.goal}×`,
      met: v.goal === undefined ? undefined : ratio >= v.goal,
      failures: loadFailures([...runs, ...nginxRuns]),
      peakRssMib,
      raw: { edge: runs, nginx: nginxRuns },
    });
  }
}

async function ping(edge: ServedEdge): Promise<void> {
  const url = `${edge.url}/artifactory/api/system/ping`;
  await load(url, { connections, seconds: Math.max(1, Math.round(seconds / 2)) });
  const { value: runs, peakRssMib } = await measuringRss(edge, async () => {
    const runs: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) runs.push(await load(url, { connections, seconds }));
    return runs;
  });
  rows.push({
    benchmark: `/api/system/ping, ${connections} connections`,
    figure: `${withSpread(runs.map((r) => r.requestsPerSec))} req/s, p99 ${fmt(median(runs.map((r) => r.p99Ms)))} ms`,
    reference: '— (the floor of the stack)',
    ratio: undefined,
    goal: '—',
    met: undefined,
    failures: loadFailures(runs),
    peakRssMib,
    raw: runs,
  });
}

/** One ingest of `payload(bytes, seed)`: its rate, and the SHA-256 the Edge says it stored. */
type Ingest = (bytes: number, seed: number, sha256: string, round: number) => Promise<{ mibPerSec: number; stored: string | undefined }>;

/**
 * A `--size-mib` ingest a round, each right after this machine's three digests over the same
 * bytes: the limit issue #13 judges ingest against (goal 0.8×).
 */
async function ingestRounds(edge: ServedEdge, benchmark: string, seed: number, ingest: Ingest): Promise<void> {
  const bytes = sizeMib * MiB;
  const failures: string[] = [];
  const { value, peakRssMib } = await measuringRss(edge, async () => {
    const result = { edge: [] as number[], digests: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      const limit = await digestPass(bytes, seed + round);
      result.digests.push(limit.mibPerSec);
      const { mibPerSec, stored } = await ingest(bytes, seed + round, limit.sha256, round);
      result.edge.push(mibPerSec);
      if (stored !== limit.sha256) failures.push(`round ${round}: the Edge stored sha256 ${stored}, sent ${limit.sha256}`);
    }
    return result;
  });
  rows.push(throughputRow(benchmark, value.edge, 'MD5+SHA-1+SHA-256 one pass', value.digests, failures, peakRssMib, TRANSFER_GOAL));
}

function upload(edge: ServedEdge): Promise<void> {
  const client = new ArtifactoryClient({ url: edge.url, credentials: ADMIN, fetch: httpFetch });
  return ingestRounds(edge, `${fmt(sizeMib)} MiB upload (PUT)`, 9, async (bytes, seed) => {
    const t0 = performance.now();
    const created = await client.deploy(`${REPO}/bench/upload.bin`, payload(bytes, seed), { size: bytes });
    return { mibPerSec: bytes / MiB / ((performance.now() - t0) / 1000), stored: created.checksums?.sha256 };
  });
}

/** EDP ingest of a bundle of one `--size-mib` file, start → last byte → commit. */
function edpLarge(edge: ServedEdge): Promise<void> {
  const client = new ArtifactoryClient({ url: edge.url, credentials: ADMIN });
  return ingestRounds(edge, `${fmt(sizeMib)} MiB EDP ingest, one-file bundle`, 40, async (bytes, seed, sha256, round) => {
    const name = `bench-edp-large-${round}`;
    const { mibPerSec } = await largeFileBundle(edge.url, ADMIN, { name, bytes, seed, repo: BUNDLE_REPO, sha256 });
    return { mibPerSec, stored: (await client.fileInfo(`${BUNDLE_REPO}/${name}/big.bin`)).checksums?.sha256 };
  });
}

/**
 * EDGE-CLU-1: 4 KiB GETs with basic auth from an Edge of 2 workers beside the 1-worker Edge, each
 * against nginx with as many worker processes, in alternating rounds. The load generator runs
 * in this process and shares the machine's cores with both.
 */
async function workersGet(edge: ServedEdge, nginx: Nginx): Promise<void> {
  const two = await serveEdge(['--data-dir', join(dir, 'edge-2-workers'), '--admin-password', PASSWORD, '--workers', '2']);
  const nginx2 = await startNginx(join(dir, 'nginx-2-workers'), www, 2);
  try {
    await prepareBenchEdge(two.url);
    const auth = basic(USER);
    const round = (url: string, authorization?: string, secs = seconds) => load(url, { connections, seconds: secs, authorization });
    const sides = [
      {
        name: '1 worker',
        edge: `${edge.url}/artifactory/${SMALL_PATH}`,
        nginx: `${nginx.url}/small.bin`,
        runs: [] as LoadResult[],
        refs: [] as LoadResult[],
      },
      {
        name: '2 workers',
        edge: `${two.url}/artifactory/${SMALL_PATH}`,
        nginx: `${nginx2.url}/small.bin`,
        runs: [] as LoadResult[],
        refs: [] as LoadResult[],
      },
    ];
    const warm = Math.max(1, Math.round(seconds / 2));
    for (const side of sides) {
      await round(side.nginx, undefined, warm);
      await round(side.edge, auth, warm);
    }
    for (let r = 0; r < rounds; r++) {
      for (const side of sides) {
        side.refs.push(await round(side.nginx));
        side.runs.push(await round(side.edge, auth));
      }
    }
    for (const side of sides) {
      const ratio = median(side.runs.map((x, i) => x.requestsPerSec / (side.refs[i] as LoadResult).requestsPerSec));
      rows.push({
        benchmark: `4 KiB GET, basic auth, Edge of ${side.name}`,
        figure: describeLoad(side.runs),
        reference: `nginx of ${side.name} ${describeLoad(side.refs)}`,
        ratio,
        goal: '≥ 0.5×',
        met: ratio >= 0.5,
        failures: loadFailures([...side.runs, ...side.refs]),
        peakRssMib: 0,
        raw: { edge: side.runs, nginx: side.refs },
      });
    }
    const scale = median(
      (sides[1] as (typeof sides)[number]).runs.map((x, i) => x.requestsPerSec / ((sides[0] as (typeof sides)[number]).runs[i] as LoadResult).requestsPerSec),
    );
    rows.push({
      benchmark: '4 KiB GET: 2 workers over 1',
      figure: `${fmt(scale, 2)}×`,
      reference: '— (2 cores, shared with the load generator)',
      ratio: undefined,
      goal: '—',
      met: undefined,
      failures: [],
      peakRssMib: 0,
      raw: scale,
    });
  } finally {
    await nginx2.stop();
    await two.stop();
  }
}

/**
 * Issue #13: GET latency, a deep listing of a fixed folder and a bundle commit at 10³, 10⁵ and
 * 10⁶ stored items (10³ and 10⁴ with --quick); each must stay within 2× of its figure at 10³,
 * i.e. grow no faster than the work it does (which does not grow).
 */
async function growth(): Promise<void> {
  const sizes = quick ? [1e3, 1e4] : [1e3, 1e5, 1e6];
  const points: GrowthPoint[] = [];
  for (const items of sizes) points.push(await growthPoint(items, quick ? 50 : 300));
  const metrics: { name: string; value: (p: GrowthPoint) => number }[] = [
    { name: 'GET of one item, p50', value: (p) => p.getP50Ms },
    { name: 'deep listing of a 100-file folder, p50', value: (p) => p.listP50Ms },
    { name: 'commit of a 100-file bundle', value: (p) => p.commitMs },
  ];
  const first = points[0] as GrowthPoint;
  const last = points[points.length - 1] as GrowthPoint;
  for (const metric of metrics) {
    const ratio = metric.value(first) / metric.value(last);
    rows.push({
      benchmark: `growth: ${metric.name}`,
      figure: points.map((p) => `${fmt(p.items)} items ${fmt(metric.value(p), 1)} ms`).join(', '),
      reference: `the same at ${fmt(first.items)} items`,
      ratio,
      goal: `≥ 0.5× at ${fmt(last.items)} items (within 2×)`,
      met: ratio >= 0.5,
      failures: [],
      peakRssMib: 0,
      raw: points,
    });
  }
}

/**
 * With `--loop-probe`: starts the Edge's probe over, and returns what reads its figures since.
 * Without: a reader of nothing.
 */
async function loopFigures(edge: ServedEdge): Promise<() => Promise<{ busyShare: number; busyMs: number; cpuMs: number } | undefined>> {
  if (!loopProbe) return async () => undefined;
  const signal = async () => {
    const before = edge.output().length;
    edge.child.kill('SIGUSR2');
    for (let waited = 0; waited < 2_000 && !edge.output().slice(before).includes('loop-probe '); waited += 20) await new Promise((r) => setTimeout(r, 20));
    const line = /loop-probe (\{.*\})/.exec(edge.output().slice(before))?.[1];
    return line === undefined ? undefined : JSON.parse(line);
  };
  await signal();
  return signal;
}

/** Files per second the issue sets for a bundle of many small files (EDGE-DUR-4). */
const FILES_PER_SEC_GOAL = 1000;

async function bundleIngest(edge: ServedEdge): Promise<void> {
  const loop = await loopFigures(edge);
  const { value: runs, peakRssMib } = await measuringRss(edge, async () => {
    const runs: ManyFilesResult[] = [];
    for (let r = 0; r < rounds; r++)
      runs.push(await manyFilesBundle(edge.url, ADMIN, { name: `bench-many-${r}`, files, fileKib: 4, concurrency: 8, repo: BUNDLE_REPO }));
    return runs;
  });
  const busy = await loop();
  if (busy)
    console.error(
      `  bundle-ingest event loop: ${JSON.stringify({ ...busy, busyMsPerFile: busy.busyMs / (files * rounds), cpuMsPerFile: busy.cpuMs / (files * rounds) })}`,
    );
  const rates = runs.map((r) => r.filesPerSec);
  const ratio = median(rates) / FILES_PER_SEC_GOAL;
  rows.push({
    benchmark: `EDP bundle of ${fmt(files)} × 4 KiB, 8 uploads at a time`,
    figure: `${withSpread(rates)} files/s, commit ${fmt(median(runs.map((r) => r.commitMs)))} ms`,
    reference: `the goal, ${fmt(FILES_PER_SEC_GOAL)} files/s, every acknowledged file durable`,
    ratio,
    goal: '≥ 1×',
    met: ratio >= 1,
    failures: [],
    peakRssMib,
    raw: runs,
  });
}

function table(): string {
  const verdict = (row: Row) => {
    if (row.failures.length > 0) return `FAILED: ${row.failures[0]}`;
    if (quick) return 'ran (quick: speed not judged)';
    return row.met === undefined ? '—' : row.met ? 'met' : 'not met';
  };
  const lines = ['| benchmark | figure | reference | ratio | goal | verdict |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    const ratio = row.ratio === undefined ? '—' : `${fmt(row.ratio, 2)}×`;
    // 0: not sampled (an Edge of several processes, or several Edges).
    const rss = row.peakRssMib > 0 ? `, Edge peak RSS ${fmt(row.peakRssMib)} MiB` : '';
    lines.push(`| ${row.benchmark} | ${row.figure}${rss} | ${row.reference} | ${ratio} | ${row.goal} | ${verdict(row)} |`);
  }
  const peak = Math.max(0, ...rows.map((r) => r.peakRssMib));
  // A run whose benchmarks sample no Edge's memory (growth, fan-out or harness alone: those carry their own figures) says nothing about the goal.
  if (peak > 0) {
    lines.push(
      `| Edge peak RSS, all of the above | ${fmt(peak)} MiB | — | — | < 200 MiB | ${quick ? 'ran (quick: not judged)' : peak < 200 ? 'met' : 'not met'} |`,
    );
  }
  return lines.join('\n');
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 1024 ** 3, 1)} GiB, Linux ${release()}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at start`;
}

const NGINX_BENCHMARKS: readonly Benchmark[] = ['large-get', 'small-get', 'workers-get'];
if (NGINX_BENCHMARKS.some(selected)) {
  if (!nginxBinary()) {
    console.error(`nginx, the reference server, is missing. Install it with:\n  ${NGINX_SETUP}`);
    process.exit(2);
  }
}

const started = new Date();
const header = `npm run bench${argv.length ? ` -- ${shownArgv.join(' ')}` : ''} — ${started.toISOString()}\n${machine()}`;
console.log(header);
// An unreachable --database-url is the user's to mend: one line, before anything is started.
const database =
  databaseServer === undefined
    ? undefined
    : await freshPostgresDatabase(databaseServer).catch((error: Error) => {
        console.error(`bench: ${error.message}`);
        process.exit(2);
      });
const dir = await mkdtemp(join(tmpdir(), 'edgeproof-bench-'));
// nginx's worker (nobody, when started as root) must reach the files it serves.
await chmod(dir, 0o755);
const www = join(dir, 'www');
await mkdir(www, { recursive: true });
let edge: ServedEdge | undefined;
let nginx: Nginx | undefined;
const clusters: Awaited<ReturnType<typeof pgS3Side>>[] = [];
try {
  const profiling = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  // tsx first: node loads the probe before the Edge's own loader is registered.
  if (loopProbe) profiling.push('--import', 'tsx', '--import', join(import.meta.dirname, 'loop-probe.ts'));
  const databaseFlags = database ? ['--database-type', 'postgresql', '--database-url', database.url] : [];
  edge = await serveEdge(['--data-dir', join(dir, 'edge'), '--admin-password', PASSWORD, '--anonymous-access', 'true', ...databaseFlags], {}, profiling);
  const admin = new ArtifactoryClient({ url: edge.url, credentials: ADMIN });
  await prepareBenchEdge(edge.url);
  const token = (await new AccessClient({ url: edge.url, credentials: USER }).createToken({})).access_token;

  // pull-through goes without nginx (its warm row then skipped), the others need it.
  if (NGINX_BENCHMARKS.some(selected) || (selected('pull-through') && nginxBinary())) {
    if (selected('large-get')) {
      // Byte for byte what the Edge serves, for nginx to send.
      await pipeline(payload(sizeMib * MiB, 7), createWriteStream(join(www, 'large.bin')));
      await admin.deploy(`${REPO}/bench/large.bin`, payload(sizeMib * MiB, 7), { size: sizeMib * MiB });
    }
    await pipeline(payload(SMALL_BYTES, 8), createWriteStream(join(www, 'small.bin')));
    nginx = await startNginx(join(dir, 'nginx'), www);
  }
  // Issue #14: the SQLite Edge above beside Edges on PostgreSQL + S3, one node and three.
  const clusterSelected = CLUSTER_BENCHMARKS.filter(selected);
  const missing = clusterSelected.length > 0 ? clusterSkipReason() : undefined;
  if (missing) {
    skipped.push(`${clusterSelected.join(', ')} skipped: ${missing}`);
    console.error(skipped[skipped.length - 1]);
  } else if (clusterSelected.length > 0) {
    const t0 = performance.now();
    const sizes = selected('cluster-get') || selected('cluster-ingest') ? [1, 3] : [1];
    // Side by side: each has its own PostgreSQL, s3rver and nginx; a failed one stops the others.
    const started = await Promise.allSettled(sizes.map((nodes) => pgS3Side(nodes)));
    for (const result of started) if (result.status === 'fulfilled') clusters.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    console.error(`  PostgreSQL + S3 deployments of ${sizes.join(' and ')} node(s): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const sqlite: Side = {
    name: '1 node, SQLite + local disk, direct',
    url: edge.url,
    nodeUrls: [edge.url],
    pids: () => [(edge as ServedEdge).child.pid as number],
  };
  const settings: ClusterSettings = { rounds, seconds, sizeMib, connections, files };
  const clustered = (bench: (sides: Side[], settings: ClusterSettings) => Promise<Row[]>, sides: () => Side[]) => async () => {
    rows.push(...(await bench(sides(), settings)));
  };
  const one = () => clusters[0] as Awaited<ReturnType<typeof pgS3Side>>;
  const steps: Record<Benchmark, () => Promise<void>> = {
    'large-get': () => largeGet(edge as ServedEdge, nginx as Nginx),
    'small-get': () => smallGets(edge as ServedEdge, nginx as Nginx, token),
    ping: () => ping(edge as ServedEdge),
    upload: () => upload(edge as ServedEdge),
    'edp-large': () => edpLarge(edge as ServedEdge),
    'pull-through': async () => {
      const result = await pullThrough(edge as ServedEdge, nginx, { rounds, sizeMib, clients, concurrentMib, dir: join(dir, 'upstream'), www });
      rows.push(...result.rows);
      for (const line of result.skipped) console.error(line);
      skipped.push(...result.skipped);
    },
    'bundle-ingest': () => bundleIngest(edge as ServedEdge),
    'workers-get': () => workersGet(edge as ServedEdge, nginx as Nginx),
    growth: () => growth(),
    'cluster-get': clustered(clusterGet, () => [sqlite, ...clusters]),
    'cluster-ingest': clustered(clusterIngest, () => [sqlite, ...clusters]),
    'store-ingest': clustered(storeIngest, () => [sqlite, { ...one(), name: '1 node, PostgreSQL + S3, direct', url: one().nodeUrls[0] as string }]),
    'fan-out': async () => {
      const settings = { rounds, sizeMib: fanOutMib, files: fanOutFiles, widths: fanOutWidths, dir };
      const missing = await fanOutSkipReason(settings);
      if (missing) {
        skipped.push(`fan-out skipped: ${missing}`);
        console.error(skipped[skipped.length - 1]);
      } else rows.push(...(await fanOut(settings)));
    },
    harness: async () => {
      rows.push(...(await harnessSpeed({ rounds, quick, dir })));
    },
  };
  for (const name of BENCHMARKS) {
    if (!selected(name) || (missing && CLUSTER_BENCHMARKS.includes(name))) continue;
    const t0 = performance.now();
    await steps[name]();
    console.error(`  ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  for (const cluster of clusters) await cluster.deployment.stop();
  await nginx?.stop();
  await edge?.stop();
  await database?.drop();
  await rm(dir, { recursive: true, force: true });
}

const markdown = `${header}\n\n${table()}\n${skipped.map((line) => `\n${line}\n`).join('')}`;
console.log(`\n${table()}`);
const results = join(import.meta.dirname, 'results');
await mkdir(results, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
await writeFile(join(results, `${stamp}.md`), markdown);
await writeFile(
  join(results, `${stamp}.json`),
  `${JSON.stringify({ started: started.toISOString(), argv: shownArgv, machine: machine(), quick, rounds, sizeMib, seconds, connections, files, clients, concurrentMib, rows }, null, 2)}\n`,
);
console.log(`\nwritten to bench/results/${stamp}.md and .json`);
if (rows.some((r) => r.failures.length > 0)) process.exitCode = 1;
