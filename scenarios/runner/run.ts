import { performance } from 'node:perf_hooks';
import { AssertionError } from 'chai';
import { CATALOGUE } from '../catalogue/index.ts';
import { newRunTag, NotApplicable, ScenarioContext, type PropertyReplay } from '../kit/context.ts';
import type { Material } from '../kit/material.ts';
import type { Scenario } from '../kit/scenario.ts';
import type { EdgeUnderTest, Target } from '../targets/target.ts';
import {
  RESULT_FORMAT,
  type RequirementVerdict,
  type RunResult,
  type ScenarioFailure,
  type ScenarioResult,
  type ScenarioStatus,
  type Selection,
  type WaiverReport,
} from './result.ts';
import { scenarioSeed } from './seed.ts';
import { selectedRequirements, selectedScenarios } from './select.ts';
import { covers, expired, type Waiver, type XfailSource } from './xfail.ts';

/** Runs the selected scenarios in order against one target and judges every selected requirement. */

export type RunEvent =
  | { type: 'start'; total: number; target: string; seed: number }
  | { type: 'scenario'; index: number; total: number; result: ScenarioResult }
  | { type: 'end'; result: RunResult };

export interface RunOptions {
  target: Target;
  scenarios: readonly Scenario[];
  material: Material;
  selection: Selection;
  seed: number;
  /** fast-check runs per property scenario. */
  runs: number;
  waivers?: Waiver[];
  /** The file the waivers came from (`readXfailFile`), recorded in the result. */
  xfailSource?: XfailSource;
  /** False when the vendor pre-installed the trust (`--no-install-trust`). */
  installTrust?: boolean;
  /** A property failure to replay (seed, path, replay path of its commands). */
  replay?: PropertyReplay;
  suite: { name: string; version: string };
  /** The command line that runs this selection again (reports print it). */
  command: string;
  /** Today, as YYYY-MM-DD, for waiver expiry; injected so tests fix the date. */
  today?: string;
  onEvent?: (event: RunEvent) => void;
}

export async function runConformance(options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const today = options.today ?? startedAt.toISOString().slice(0, 10);
  const waivers = options.waivers ?? [];
  const chosen = selectedScenarios(options.scenarios, options.selection);
  // The target first: one that cannot start (no Docker engine) is its one line, nothing before it.
  const edge = await options.target.start();
  options.onEvent?.({ type: 'start', total: chosen.length, target: options.target.description.label, seed: options.seed });

  const results: ScenarioResult[] = [];
  const runTag = newRunTag();
  try {
    for (const [index, scenario] of chosen.entries()) {
      const result = await runScenario(scenario, { ...options, edge, runTag, waivers, today });
      results.push(result);
      options.onEvent?.({ type: 'scenario', index, total: chosen.length, result });
    }
  } finally {
    await options.target.close();
  }

  const requirements = verdicts(results, options.selection, chosen);
  const waiverReports = waivers.map((w): WaiverReport => {
    const state = expired(w, today) ? 'expired' : results.some((r) => r.status === 'xfailed' && covers(w, r)) ? 'used' : 'unused';
    return { requirement: w.requirement, ...(w.scenario ? { scenario: w.scenario } : {}), reason: w.reason, expires: w.expires, state };
  });
  const summary = Object.fromEntries(
    (['passed', 'failed', 'xfailed', 'xpassed', 'not-applicable'] as ScenarioStatus[]).map((s) => [s, results.filter((r) => r.status === s).length]),
  ) as Record<ScenarioStatus, number>;
  const ok =
    requirements.every((r) => r.level !== 'MUST' || r.verdict === 'passed' || r.verdict === 'xfailed' || r.verdict === 'not-applicable') &&
    summary.xpassed === 0 &&
    summary.failed === 0 &&
    waiverReports.every((w) => w.state !== 'expired');
  const result: RunResult = {
    format: RESULT_FORMAT,
    suite: options.suite,
    target: options.target.description,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - t0,
    seed: options.seed,
    runs: options.runs,
    selection: options.selection,
    ...(options.xfailSource ? { xfail: options.xfailSource } : {}),
    command: options.command,
    scenarios: results,
    requirements,
    waivers: waiverReports,
    summary,
    ok,
  };
  options.onEvent?.({ type: 'end', result });
  return result;
}

export interface ScenarioRunOptions extends Pick<RunOptions, 'target' | 'material' | 'seed' | 'runs' | 'installTrust' | 'replay'> {
  edge: EdgeUnderTest;
  runTag: string;
  waivers: Waiver[];
  today: string;
}

/** Runs one scenario against `edge` and judges it (waivers applied); never throws for a scenario's failure. */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioResult> {
  const { edge, runTag, waivers, today } = options;
  const seed = scenarioSeed(options.seed, scenario.id);
  const t = new ScenarioContext({
    edge,
    target: options.target,
    material: options.material,
    seed,
    runs: options.runs,
    installTrust: options.installTrust ?? true,
    runTag,
    ...(options.replay ? { replay: options.replay } : {}),
  });
  const started = performance.now();
  let status: ScenarioStatus = 'passed';
  let failure: ScenarioFailure | undefined;
  let reason: string | undefined;
  try {
    for (const need of scenario.needs ?? []) t.require(need);
    await scenario.run(t);
  } catch (error) {
    if (error instanceof NotApplicable) {
      status = 'not-applicable';
      reason = error.message;
    } else {
      status = 'failed';
      failure = failureOf(error);
    }
  }
  const cleanupProblems = await t.cleanUp();

  // Strict waivers: a covered failure is expected, a covered pass is not, an expired one waives nothing.
  const waiver = waivers.find((w) => covers(w, scenario));
  if (waiver && status !== 'not-applicable') {
    if (expired(waiver, today)) reason = `waiver for ${waiver.requirement} expired on ${waiver.expires}`;
    else if (status === 'failed') {
      status = 'xfailed';
      reason = waiver.reason;
    } else {
      status = 'xpassed';
      reason = `expected to fail (${waiver.reason}) but passed: remove the waiver`;
    }
  }
  return {
    id: scenario.id,
    title: scenario.title,
    requirements: [...scenario.requirements],
    status,
    durationMs: performance.now() - started,
    seed,
    ...(failure ? { failure } : {}),
    ...(reason ? { reason } : {}),
    steps: t.steps,
    exchanges: t.exchanges,
    faultPlans: t.faultPlans,
    ...(t.counterexample ? { counterexample: t.counterexample } : {}),
    ...(cleanupProblems.length > 0 ? { cleanupProblems } : {}),
  };
}

function failureOf(error: unknown): ScenarioFailure {
  if (error instanceof AssertionError) {
    const e = error as Error & { actual?: unknown; expected?: unknown; showDiff?: boolean };
    return {
      message: e.message,
      ...(e.showDiff !== false && 'expected' in e ? { expected: show(e.expected), actual: show(e.actual) } : {}),
    };
  }
  if (error instanceof Error) return { message: `${error.name}: ${error.message}` };
  return { message: String(error) };
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Each selected requirement's verdict from the scenarios that name it. */
function verdicts(results: ScenarioResult[], selection: Selection, chosen: Scenario[]): RequirementVerdict[] {
  // With --grep, only the requirements the chosen scenarios check are judged; otherwise every
  // selected one is, and a MUST no scenario checks counts as untested (and fails the run).
  const cited = new Set(chosen.flatMap((s) => s.requirements));
  const judged = selectedRequirements(selection).filter((r) => selection.grep === undefined || cited.has(r.id));
  return judged.map((r) => {
    const mine = results.filter((s) => s.requirements.includes(r.id));
    const statuses = new Set(mine.map((s) => s.status));
    const verdict =
      mine.length === 0
        ? 'untested'
        : statuses.has('failed') || statuses.has('xpassed')
          ? 'failed'
          : statuses.has('xfailed')
            ? 'xfailed'
            : statuses.has('passed')
              ? 'passed'
              : 'not-applicable';
    const req = CATALOGUE.get(r.id) ?? r;
    return { id: r.id, level: req.level, profile: req.profile, text: req.text, source: req.source, verdict, scenarios: mine.map((s) => s.id) };
  });
}
