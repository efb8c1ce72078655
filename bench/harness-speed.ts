import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from './row.ts';
import { EDGEPROOF_BIN } from './served-edge.ts';
import { fmt, withSpread } from './stats.ts';

/**
 * Issue #13: the conformance suite's own speed, as users pay it: `edgeproof conformance` against
 * the embedded Edge with the simulators (the README's main job, the same selection), started as a
 * child process (bench/ may not import the harness), timed from spawn to exit. Its result.json
 * gives the property-based scenarios' runs and the time fast-check spent in them.
 */

export interface HarnessSettings {
  rounds: number;
  quick: boolean;
  /** Where each run writes its result.json. */
  dir: string;
}

/** `--quick`: one small property scenario with few runs, a few seconds. Otherwise `npm run conformance`'s selection. */
const QUICK_SELECTION = ['--grep', '^bad-input/any-hostile-segment$', '--runs', '10'];
/** The summary step a passing property leaves (scenarios/kit/context.ts): its runs, and its duration the property's own. */
const PROPERTY_STEP = /^(\d+) generated runs matched the model$/;

interface HarnessRun {
  wallSeconds: number;
  /** The run as result.json times it (without the process's start). */
  runSeconds: number;
  scenarios: number;
  failed: number;
  exitCode: number | null;
  properties: { id: string; runs: number; seconds: number }[];
  stderrTail: string;
}

interface ResultJson {
  durationMs: number;
  scenarios: { id: string; status: string; steps: { title: string; durationMs: number }[] }[];
}

export async function harnessSpeed(settings: HarnessSettings): Promise<Row[]> {
  const runs: HarnessRun[] = [];
  for (let round = 0; round < settings.rounds; round++) runs.push(await conformanceRun(join(settings.dir, `harness-${round}`), settings.quick));
  const selection = settings.quick ? `quick: ${QUICK_SELECTION.join(' ')}` : 'default profiles, MUST, 50 runs per property, as npm run conformance';
  const failures = runs.flatMap((r) =>
    r.exitCode === 0 ? [] : [`edgeproof conformance exited ${r.exitCode}: ${r.failed} of ${r.scenarios} scenarios failed; ${r.stderrTail}`],
  );
  const propertyRuns = runs.map((r) => r.properties.reduce((sum, p) => sum + p.runs, 0));
  const propertySeconds = runs.map((r) => r.properties.reduce((sum, p) => sum + p.seconds, 0));
  return [
    {
      benchmark: `harness: conformance run against the embedded Edge with the simulators (${selection})`,
      figure: `${withSpread(
        runs.map((r) => r.wallSeconds),
        1,
      )} s wall (the run itself ${withSpread(
        runs.map((r) => r.runSeconds),
        1,
      )} s), ${fmt(runs[0]?.scenarios ?? 0)} scenarios`,
      reference: '—',
      ratio: undefined,
      goal: '—',
      met: undefined,
      failures,
      peakRssMib: 0,
      raw: runs,
    },
    {
      benchmark: 'harness: property runs per second (fast-check runs of the property-based scenarios over their time)',
      figure: `${withSpread(
        runs.map((_, i) => (propertyRuns[i] as number) / (propertySeconds[i] as number)),
        1,
      )} runs/s (${fmt(propertyRuns[0] ?? 0)} runs of ${fmt(runs[0]?.properties.length ?? 0)} properties in ${fmt(propertySeconds[0] ?? 0, 1)} s)`,
      reference: '—',
      ratio: undefined,
      goal: '—',
      met: undefined,
      failures: propertyRuns.some((n) => n === 0) ? ['no property-based scenario ran'] : [],
      peakRssMib: 0,
      raw: runs.map((r) => r.properties),
    },
  ];
}

async function conformanceRun(out: string, quick: boolean): Promise<HarnessRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [EDGEPROOF_BIN, 'conformance', '--out', out, '--report', 'json', '--seed', '1', ...(quick ? QUICK_SELECTION : [])], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  const exitCode = await new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const wallSeconds = (performance.now() - t0) / 1000;
  const stderrTail = stderr.trim().split('\n').slice(-3).join(' / ');
  const result = await readFile(join(out, 'result.json'), 'utf8').then(
    (text) => JSON.parse(text) as ResultJson,
    () => undefined,
  );
  if (!result) return { wallSeconds, runSeconds: 0, scenarios: 0, failed: 0, exitCode, properties: [], stderrTail };
  const properties = result.scenarios.flatMap((s) =>
    s.steps.flatMap((step) => {
      const runs = PROPERTY_STEP.exec(step.title)?.[1];
      return runs === undefined ? [] : [{ id: s.id, runs: Number(runs), seconds: step.durationMs / 1000 }];
    }),
  );
  return {
    wallSeconds,
    runSeconds: result.durationMs / 1000,
    scenarios: result.scenarios.length,
    failed: result.scenarios.filter((s) => s.status === 'failed').length,
    exitCode,
    properties,
    stderrTail,
  };
}
