import { createHash } from 'node:crypto';
import { rm, statfs } from 'node:fs/promises';
import { freemem } from 'node:os';
import { join } from 'node:path';
import { ArtifactoryClient, EdpClient } from '../protocol/clients/index.ts';
import { ADMIN, PASSWORD } from './bench-edge.ts';
import { payload } from './payload.ts';
import type { Row } from './row.ts';
import { peakRssWhile, serveEdge, type ServedEdge } from './serve.ts';
import { SIM_AUTHORIZATION, startSimulatedPlatform, type SimulatedPlatform } from './simulated-platform.ts';
import { fmt, median, withSpread } from './stats.ts';

/**
 * Issue #13: one release bundle from the simulated Distribution to 1, 4 and 8 Edges, each an
 * `edgeproof serve` process, through the platform's real path: Distribution asks Mission Control
 * for the sites, opens an EDP transaction on each Edge, the source Artifactory pushes the files
 * into it, Distribution commits. Every width gets fresh Edges (an Edge that already held the
 * bytes would claim them by checksum instead of receiving them); rounds alternate the widths so
 * the machine's noise hits all of them.
 */

export interface FanOutSettings {
  rounds: number;
  sizeMib: number;
  files: number;
  /** How many Edges receive the bundle at once; the first is the reference. */
  widths: readonly number[];
  /** Where the Edges' data directories go (removed after each width). */
  dir: string;
}

const MiB = 1024 * 1024;
const BUNDLE = { name: 'fan-out', version: '1.0' };
const SOURCE_REPO = 'libs-local';
const TARGET_REPO = 'fan-out-local';
const FOLDER = 'fan-out';
/** Long enough for 8 Edges on a loaded 2-core machine; a stuck distribution fails the row. */
const DISTRIBUTION_TIMEOUT_MS = 30 * 60_000;

interface Width {
  edges: number;
  /** Distribute call → every site Completed (or Failed), seconds. */
  wallSeconds: number;
  /** Distribute call → each site done, seconds, in site order. */
  edgeSeconds: number[];
  peakRssMib: number[];
  simulatorPeakRssMib: number;
  failures: string[];
}

/** An Edge's RSS while it receives a bundle, with room to spare (about 190 MiB measured). */
const EDGE_MEMORY_MIB = 300;

/**
 * Why the widest fan-out cannot run here (one line), or undefined: every Edge of it holds the
 * bundle on disk (twice, while a transaction moves it into place) and needs its memory, and the
 * simulators hold the bundle's files in theirs.
 */
export async function fanOutSkipReason(settings: FanOutSettings): Promise<string | undefined> {
  const widest = Math.max(...settings.widths);
  const disk = await statfs(settings.dir);
  const freeDiskMib = (disk.bavail * disk.bsize) / MiB;
  const needDiskMib = 2 * widest * settings.sizeMib;
  if (freeDiskMib < needDiskMib) return `${fmt(needDiskMib)} MiB of disk needed for ${widest} Edges, ${fmt(freeDiskMib)} MiB free under ${settings.dir}`;
  const needMemoryMib = widest * EDGE_MEMORY_MIB + 3 * settings.sizeMib;
  const freeMemoryMib = freemem() / MiB;
  if (freeMemoryMib < needMemoryMib) return `${fmt(needMemoryMib)} MiB of memory needed for ${widest} Edges, ${fmt(freeMemoryMib)} MiB free`;
  return undefined;
}

/** What each step took, on stderr: where the benchmark's own seconds go. */
async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = await work();
  console.error(`    fan-out ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return value;
}

export async function fanOut(settings: FanOutSettings): Promise<Row[]> {
  const platform = await timed('simulators started', startSimulatedPlatform);
  try {
    const expected = await timed('files deployed to the source', () => deploySource(platform, settings));
    await timed('bundle created and signed', () =>
      platform.call('POST', `${platform.distribution}/distribution/api/v1/release_bundle`, {
        ...BUNDLE,
        sign_immediately: true,
        spec: { queries: [{ aql: `items.find({"repo":"${SOURCE_REPO}"})`, mappings: [{ input: `^${SOURCE_REPO}/(.*)$`, output: `${TARGET_REPO}/$1` }] }] },
      }),
    );
    const runs = new Map<number, Width[]>(settings.widths.map((w) => [w, []]));
    for (let round = 0; round < settings.rounds; round++)
      for (const edges of settings.widths) runs.get(edges)?.push(await distributeTo(platform, settings, expected, round, edges));
    return rows(settings, runs);
  } finally {
    await platform.stop();
  }
}

/** The bundle's files on the source: `files` files adding up to `sizeMib`; returns each target path's sha256. */
async function deploySource(platform: SimulatedPlatform, settings: FanOutSettings): Promise<Map<string, string>> {
  const source = new ArtifactoryClient({ url: platform.source, credentials: { authorization: SIM_AUTHORIZATION } });
  await source.createRepository(SOURCE_REPO, { rclass: 'local' });
  const total = settings.sizeMib * MiB;
  const each = Math.floor(total / settings.files);
  const expected = new Map<string, string>();
  let next = 0;
  const deployOne = async (i: number) => {
    const size = i === settings.files - 1 ? total - each * (settings.files - 1) : each;
    const chunks: Buffer[] = [];
    for await (const chunk of payload(size, 1000 + i)) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const path = `${FOLDER}/${String(i).padStart(5, '0')}.bin`;
    expected.set(`${TARGET_REPO}/${path}`, createHash('sha256').update(bytes).digest('hex'));
    await source.deploy(`${SOURCE_REPO}/${path}`, bytes);
  };
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < settings.files) await deployOne(next++);
    }),
  );
  return expected;
}

interface TrackerJson {
  status: string;
  sites: { status: string; general_error?: string; target_artifactory: { name: string } }[];
}

/** Fresh Edges registered with Mission Control, the key propagated, then the timed distribution and the check of every Edge. */
async function distributeTo(
  platform: SimulatedPlatform,
  settings: FanOutSettings,
  expected: Map<string, string>,
  round: number,
  edges: number,
): Promise<Width> {
  const prefix = `fan-out-r${round}-w${edges}`;
  const dirs = Array.from({ length: edges }, (_, i) => join(settings.dir, `${prefix}-e${i}`));
  const served = await timed(`${edges} Edge(s) started`, () => Promise.all(dirs.map((dir) => serveEdge(['--data-dir', dir, '--admin-password', PASSWORD]))));
  const jpds: string[] = [];
  const t0 = performance.now();
  try {
    for (const [i, edge] of served.entries()) {
      const jpd = await platform.call<{ id: string }>('POST', `${platform.missionControl}/mc/api/v1/jpds`, {
        name: `${prefix}-e${i}`,
        url: `${edge.url}/`,
        location: { city_name: 'bench', country_code: 'US', latitude: 0, longitude: 0 },
        licenses: [{ type: 'EDGE' }],
        username: ADMIN.user,
        password: ADMIN.password,
      });
      jpds.push(jpd.id);
    }
    await platform.call('POST', `${platform.distribution}/distribution/api/v1/keys/gpg/propagate`);
    console.error(`    fan-out ${edges} Edge(s) registered, key propagated: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const pids = [...served.map((e) => e.child.pid as number), platform.child.pid as number];
    const { value, peakMib } = await peakRssWhile(pids, () => timedDistribution(platform, prefix, edges));
    console.error(`    fan-out distribution to ${edges} Edge(s): ${value.wallSeconds.toFixed(1)} s`);
    const checked = await timed(`${edges} Edge(s) checked`, () => Promise.all(served.map((edge, i) => checkEdge(edge, `Edge ${i + 1}`, expected))));
    const failures = [...value.failures, ...checked.flat()];
    const edgeSeconds = served.map((_, i) => value.doneAt.get(`${prefix}-e${i}`) ?? Number.NaN);
    return {
      edges,
      wallSeconds: value.wallSeconds,
      edgeSeconds,
      peakRssMib: served.map((e) => peakMib([e.child.pid as number])),
      simulatorPeakRssMib: peakMib([platform.child.pid as number]),
      failures,
    };
  } finally {
    for (const id of jpds) await platform.call('DELETE', `${platform.missionControl}/mc/api/v1/jpds/${id}`);
    await Promise.all(served.map((edge) => edge.stop()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** The distribute call, then Distribution's status API polled until no site is in progress. */
async function timedDistribution(platform: SimulatedPlatform, prefix: string, edges: number) {
  const base = `${platform.distribution}/distribution/api/v1`;
  const failures: string[] = [];
  const doneAt = new Map<string, number>();
  const t0 = performance.now();
  const started = await platform.call<{ id: number; sites: unknown[] }>('POST', `${base}/distribution/${BUNDLE.name}/${BUNDLE.version}`, {
    auto_create_missing_repositories: true,
    distribution_rules: [{ site_name: `${prefix}-*` }],
  });
  if (started.sites.length !== edges) failures.push(`Distribution resolved ${started.sites.length} sites, not ${edges}`);
  // A poll costs the simulator little; its interval bounds how late a finish is seen.
  const pollMs = 50;
  for (;;) {
    const tracker = await platform.call<TrackerJson>('GET', `${base}/release_bundle/${BUNDLE.name}/${BUNDLE.version}/distribution/${started.id}`);
    const now = (performance.now() - t0) / 1000;
    for (const site of tracker.sites) {
      if (site.status === 'In progress' || doneAt.has(site.target_artifactory.name)) continue;
      doneAt.set(site.target_artifactory.name, now);
      if (site.status !== 'Completed') failures.push(`${site.target_artifactory.name}: ${site.status} ${site.general_error ?? ''}`.trim());
    }
    if (tracker.status !== 'In progress') return { wallSeconds: now, doneAt, failures };
    if (now * 1000 > DISTRIBUTION_TIMEOUT_MS) {
      failures.push(`still in progress after ${fmt(now)} s`);
      return { wallSeconds: now, doneAt, failures };
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The bundle as the Edge publishes it, the file count, and every file's sha256 against what was deployed. */
async function checkEdge(edge: ServedEdge, who: string, expected: Map<string, string>): Promise<string[]> {
  try {
    const bundle = await new EdpClient({ url: edge.url, credentials: ADMIN }).bundle(BUNDLE.name, BUNDLE.version);
    if (bundle.artifacts.length !== expected.size) return [`${who}: the bundle lists ${bundle.artifacts.length} of ${expected.size} files`];
    const list = await new ArtifactoryClient({ url: edge.url, credentials: ADMIN }).fileList(`${TARGET_REPO}/${FOLDER}`, { deep: true });
    const files = list.files.filter((f) => !f.folder);
    if (files.length !== expected.size) return [`${who}: ${files.length} of ${expected.size} files stored`];
    const wrong = files.find((f) => f.sha2 !== expected.get(`${TARGET_REPO}/${FOLDER}${f.uri}`));
    return wrong ? [`${who}: ${wrong.uri} has sha256 ${wrong.sha2}, not the source's`] : [];
  } catch (error) {
    return [`${who}: ${(error as Error).message}`];
  }
}

function rows(settings: FanOutSettings, runs: Map<number, Width[]>): Row[] {
  const reference = runs.get(settings.widths[0] as number) as Width[];
  const mib = settings.sizeMib;
  return [...runs].map(([edges, widths]) => {
    const walls = widths.map((w) => w.wallSeconds);
    const isReference = edges === settings.widths[0];
    const rssSums = widths.map((w) => w.peakRssMib.reduce((a, b) => a + b, 0));
    const rssMax = widths.map((w) => Math.max(...w.peakRssMib));
    return {
      benchmark: `fan-out: ${fmt(mib)} MiB, ${fmt(settings.files)} files from the simulated Distribution to ${edges} Edge${edges === 1 ? '' : 's'}`,
      figure:
        `${withSpread(walls, 1)} s until every Edge published it, ${withSpread(
          widths.map((w) => (edges * mib) / w.wallSeconds),
        )} MiB/s aggregate, slowest Edge ${fmt(median(widths.map((w) => Math.max(...w.edgeSeconds))), 1)} s` +
        `, peak RSS ${fmt(median(rssSums))} MiB summed (one Edge at most ${fmt(median(rssMax))} MiB; the simulators ${fmt(median(widths.map((w) => w.simulatorPeakRssMib)))} MiB)`,
      reference: isReference
        ? '— (the reference of the wider fan-outs)'
        : `${settings.widths[0]} Edge${settings.widths[0] === 1 ? '' : 's'} ${withSpread(
            reference.map((w) => w.wallSeconds),
            1,
          )} s; ratio = wall time over theirs (lower is better)`,
      ratio: isReference ? undefined : median(widths.map((w, i) => w.wallSeconds / (reference[i] as Width).wallSeconds)),
      goal: '—',
      met: undefined,
      failures: widths.flatMap((w) => w.failures),
      // Several Edges: their RSS is in the figure, not in the single Edge's 200 MiB goal.
      peakRssMib: 0,
      raw: widths,
    };
  });
}
