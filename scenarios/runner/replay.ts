import { newRunTag } from '../kit/context.ts';
import type { Material } from '../kit/material.ts';
import type { Scenario } from '../kit/scenario.ts';
import type { Target } from '../targets/target.ts';
import { ReplayFileError, type Replay } from './replay-file.ts';
import type { ScenarioResult } from './result.ts';
import { runScenario } from './run.ts';

/**
 * Runs the one scenario of a replay file again — same run seed, same number of runs, and for
 * a property only the shrunk counterexample (fast-check's seed and path, and the commands'
 * replay path) — and compares what
 * happened with the recording: the outcome, then the steps, then the sequence of requests.
 */

export interface ReplayOptions {
  replay: Replay;
  /** The suite the scenario is looked up in (the CLI passes SUITE). */
  scenarios: readonly Scenario[];
  target: Target;
  material: Material;
  /** The recording's setting unless given (`--no-install-trust`). */
  installTrust?: boolean;
  /** Today, as YYYY-MM-DD. */
  today?: string;
}

export interface ReplayOutcome {
  /** The same outcome (still failing, or still passing against its waiver) with the same steps and requests. */
  reproduced: boolean;
  /** One line: `still fails, same steps`, `still fails, steps differ: …`, `passes now`, … */
  summary: string;
  /** The scenario as it ran now. */
  result: ScenarioResult;
}

export async function replayScenario(options: ReplayOptions): Promise<ReplayOutcome> {
  const { replay, target } = options;
  const scenario = replayedScenario(replay, options.scenarios);
  const runTag = newRunTag();
  const edge = await target.start();
  let result: ScenarioResult;
  try {
    result = await runScenario(scenario, {
      target,
      edge,
      material: options.material,
      seed: replay.seed,
      runs: replay.runs,
      installTrust: options.installTrust ?? replay.installTrust,
      runTag,
      waivers: [],
      today: options.today ?? new Date().toISOString().slice(0, 10),
      ...(replay.counterexample ? { replay: replay.counterexample } : {}),
    });
  } finally {
    await target.close();
  }
  return { ...judge(replay, result, runTag), result };
}

/** The scenario `replay` recorded, from `scenarios`; a `ReplayFileError` when the suite does not have it. */
export function replayedScenario(replay: Replay, scenarios: readonly Scenario[]): Scenario {
  const scenario = scenarios.find((s) => s.id === replay.scenario.id);
  if (!scenario) throw new ReplayFileError(`the replay names scenario ${replay.scenario.id}, which this suite does not have`);
  return scenario;
}

function judge(replay: Replay, result: ScenarioResult, runTag: string): Omit<ReplayOutcome, 'result'> {
  const recordedFailure = replay.status === 'failed';
  const fails = result.status === 'failed';
  if (result.status === 'not-applicable') return { reproduced: false, summary: `cannot run on this target: ${result.reason ?? 'not applicable'}` };
  const same = recordedFailure ? 'still fails' : 'still passes although a waiver expected it to fail';
  if (fails !== recordedFailure) return { reproduced: false, summary: recordedFailure ? 'passes now' : 'fails now' };

  const recorded = normaliser(replay.runTag);
  const now = normaliser(runTag);
  const stepLine = (n: (s: string) => string) => (s: { title: string; status: string }) => `${n(s.title)} (${s.status})`;
  const steps = firstDifference(replay.steps.map(stepLine(recorded)), result.steps.map(stepLine(now)));
  if (steps) return { reproduced: false, summary: `${same}, steps differ: first difference at step ${steps}` };
  const request = (n: (s: string) => string) => (e: { method: string; path: string }) => `${e.method} ${n(e.path)}`;
  const requests = firstDifference(replay.exchanges.map(request(recorded)), result.exchanges.map(request(now)));
  if (requests) return { reproduced: false, summary: `${same}, steps differ: first difference at request ${requests}` };
  return { reproduced: true, summary: `${same}, same steps` };
}

/**
 * Names and ids that are unique to one run, replaced by placeholders: the run tag in the
 * names `t.name` made, and the ids an Edge hands out (ULIDs such as transaction ids, UUIDs).
 */
function normaliser(runTag: string): (text: string) => string {
  const tagged = new RegExp(`-${runTag}(?=\\d)`, 'g');
  return (text) =>
    text
      .replace(tagged, '-<run>')
      .replace(/\b[0-9a-hjkmnp-tv-z]{26}\b/gi, '<ulid>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>');
}

/** `N: recorded "…", now "…"` at the first (1-based) position where the lists differ; undefined when they are the same. */
function firstDifference(recorded: string[], now: string[]): string | undefined {
  const length = Math.max(recorded.length, now.length);
  for (let i = 0; i < length; i++) {
    if (recorded[i] === now[i]) continue;
    const show = (s: string | undefined) => (s === undefined ? 'nothing' : JSON.stringify(s));
    return `${i + 1}: recorded ${show(recorded[i])}, now ${show(now[i])}`;
  }
  return undefined;
}
