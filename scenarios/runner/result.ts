import type { Level, Profile } from '../catalogue/types.ts';
import type { Exchange } from '../kit/exchanges.ts';
import type { StepRecord } from '../kit/context.ts';
import type { FaultPlan } from '../../simulator/faults/plan.ts';
import type { TargetDescription } from '../targets/target.ts';
import type { XfailSource } from './xfail.ts';

/**
 * What a run produced: the one shape every report writer, the replay command and the signed
 * attestation read. `RESULT_FORMAT` changes when a field's meaning does.
 */

export const RESULT_FORMAT = 'edgeproof-conformance-result/1';

export type ScenarioStatus =
  | 'passed'
  | 'failed'
  /** Failed, and an unexpired expected-failure entry covers it. */
  | 'xfailed'
  /** Passed although an expected-failure entry says it fails: the run fails (strict). */
  | 'xpassed'
  /** The target lacks what the scenario needs. */
  | 'not-applicable';

export interface ScenarioFailure {
  message: string;
  /** chai's expected/actual, when the failure was an expectation. */
  expected?: string;
  actual?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  requirements: string[];
  status: ScenarioStatus;
  durationMs: number;
  /** The seed the scenario ran with (the run's seed, mixed with the scenario id). */
  seed: number;
  failure?: ScenarioFailure;
  /** Why it was not applicable, or the expected-failure reason. */
  reason?: string;
  steps: StepRecord[];
  exchanges: Exchange[];
  faultPlans: FaultPlan[];
  /** A property's shrunk counterexample: seed, fast-check path, readable steps. */
  counterexample?: { seed: number; path: string; replayPath?: string; steps: string[] };
  /** Cleanup that failed after the verdict (left-over state on a shared Edge). */
  cleanupProblems?: string[];
  /** The replay file written for a failure, relative to the output folder. */
  replayFile?: string;
}

export type Verdict = 'passed' | 'failed' | 'xfailed' | 'not-applicable' | 'untested';

export interface RequirementVerdict {
  id: string;
  level: Level;
  profile: Profile;
  text: string;
  source: string;
  verdict: Verdict;
  scenarios: string[];
}

export interface WaiverReport {
  requirement: string;
  scenario?: string;
  reason: string;
  expires: string;
  /** `used`: it covered a failure; `unused`: nothing it covers failed; `expired`: counted as a failure. */
  state: 'used' | 'unused' | 'expired';
}

export interface Selection {
  profiles: Profile[];
  level: Level;
  grep?: string;
}

export interface RunResult {
  format: typeof RESULT_FORMAT;
  suite: { name: string; version: string };
  target: TargetDescription;
  startedAt: string;
  durationMs: number;
  seed: number;
  /** The tag in every name the run created on the Edge (`t.name`); a replay ignores it when comparing. */
  runTag: string;
  runs: number;
  /** False when the vendor had pre-installed the trust (`--no-install-trust`). */
  installTrust: boolean;
  selection: Selection;
  /** The expected-failures file the run read, when one was given. */
  xfail?: XfailSource;
  /** The exact command that runs the same selection again. */
  command: string;
  scenarios: ScenarioResult[];
  requirements: RequirementVerdict[];
  waivers: WaiverReport[];
  summary: Record<ScenarioStatus, number>;
  /** True only when every selected MUST passed (or is waived), nothing passed unexpectedly and no waiver expired. */
  ok: boolean;
}
