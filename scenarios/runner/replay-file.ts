import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { StepRecord } from '../kit/context.ts';
import type { Exchange } from '../kit/exchanges.ts';
import type { TargetDescription } from '../targets/target.ts';
import { parseWith, readJsonFile } from './json-file.ts';
import type { RunResult, ScenarioFailure, ScenarioResult } from './result.ts';

/**
 * A replay file: everything needed to run one failed scenario again and to tell whether it
 * still fails the same way — the suite version, the scenario, the run's seed and number of
 * runs, a property's fast-check seed and path, the fault plans, the target, and what the run
 * saw (steps, HTTP exchanges, the failure). `REPLAY_FORMAT` changes when a field's meaning does.
 */

export const REPLAY_FORMAT = 'edgeproof-replay/1';

/** Where a scenario's replay file goes, relative to the output folder. */
export function replayFileName(scenarioId: string): string {
  return `replays/${scenarioId.replaceAll('/', '__')}.json`;
}

export interface Replay {
  format: typeof REPLAY_FORMAT;
  suite: { name: string; version: string };
  scenario: { id: string; title: string };
  requirements: string[];
  /** `failed`, or `xpassed`: it passed although an expected failure said it fails. */
  status: 'failed' | 'xpassed';
  /** The run's seed; the scenario's own seed (`scenarioSeed`) is derived from it and the id. */
  seed: number;
  scenarioSeed: number;
  runs: number;
  /** The tag in the names the run created (`t.name`), which a replay's own names replace. */
  runTag: string;
  installTrust: boolean;
  /** A property's shrunk counterexample: fast-check's seed and path (and the commands' replay path) replay exactly that case. */
  counterexample?: { seed: number; path: string; replayPath?: string; steps: string[] };
  faultPlans: unknown[];
  target: TargetDescription;
  recordedAt: string;
  failure?: ScenarioFailure;
  reason?: string;
  steps: StepRecord[];
  exchanges: Exchange[];
}

// What a replay reads is checked; what it only shows (exchange details, fault plans) is kept as it is.
const replaySchema = z.looseObject({
  format: z.literal(REPLAY_FORMAT),
  suite: z.strictObject({ name: z.string(), version: z.string() }),
  scenario: z.strictObject({ id: z.string().min(1), title: z.string() }),
  requirements: z.array(z.string()),
  status: z.enum(['failed', 'xpassed']),
  seed: z.int(),
  scenarioSeed: z.int(),
  runs: z.int().min(1),
  runTag: z.string().min(1),
  installTrust: z.boolean(),
  counterexample: z.strictObject({ seed: z.int(), path: z.string(), replayPath: z.string().optional(), steps: z.array(z.string()) }).optional(),
  faultPlans: z.array(z.unknown()),
  target: z.strictObject({
    kind: z.enum(['embedded', 'url', 'container']),
    label: z.string(),
    settings: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])),
  }),
  recordedAt: z.string(),
  failure: z.looseObject({ message: z.string() }).optional(),
  reason: z.string().optional(),
  steps: z.array(z.looseObject({ title: z.string(), status: z.enum(['passed', 'failed']), durationMs: z.number() })),
  exchanges: z.array(
    z.looseObject({
      seq: z.int(),
      method: z.string(),
      path: z.string(),
      requestHeaders: z.record(z.string(), z.string()),
      status: z.int(),
      responseHeaders: z.record(z.string(), z.string()),
      durationMs: z.number(),
    }),
  ),
});

export class ReplayFileError extends Error {
  override readonly name = 'ReplayFileError';
}

/** The replay of `scenario`, one of `run`'s results. */
export function replayOf(run: RunResult, scenario: ScenarioResult): Replay {
  return {
    format: REPLAY_FORMAT,
    suite: run.suite,
    scenario: { id: scenario.id, title: scenario.title },
    requirements: scenario.requirements,
    status: scenario.status === 'xpassed' ? 'xpassed' : 'failed',
    seed: run.seed,
    scenarioSeed: scenario.seed,
    runs: run.runs,
    runTag: run.runTag,
    installTrust: run.installTrust,
    ...(scenario.counterexample ? { counterexample: scenario.counterexample } : {}),
    faultPlans: scenario.faultPlans,
    target: run.target,
    recordedAt: run.startedAt,
    ...(scenario.failure ? { failure: scenario.failure } : {}),
    ...(scenario.reason ? { reason: scenario.reason } : {}),
    steps: scenario.steps,
    exchanges: scenario.exchanges,
  };
}

/**
 * Writes a replay file for every failed or unexpectedly passing scenario into `outDir` and
 * returns the result with each such scenario's `replayFile` set.
 */
export async function writeReplays(run: RunResult, outDir: string): Promise<RunResult> {
  const scenarios: ScenarioResult[] = [];
  for (const scenario of run.scenarios) {
    if (scenario.status !== 'failed' && scenario.status !== 'xpassed') {
      scenarios.push(scenario);
      continue;
    }
    const file = replayFileName(scenario.id);
    await mkdir(join(outDir, 'replays'), { recursive: true });
    await writeFile(join(outDir, file), `${JSON.stringify(replayOf(run, scenario), null, 2)}\n`);
    scenarios.push({ ...scenario, replayFile: file });
  }
  return { ...run, scenarios };
}

const complaint = (message: string) => new ReplayFileError(message);

export function parseReplay(input: unknown, where = 'replay file'): Replay {
  return parseWith(replaySchema, input, where, complaint) as Replay;
}

export async function readReplay(file: string): Promise<Replay> {
  return parseReplay(await readJsonFile(file, complaint), file);
}
