import type { Profile, RunResult, ScenarioResult, ScenarioStatus } from '../scenarios/index.ts';

/** What every report says the same way: the run's verdict, the MUST pass rates, why a run failed. */

/**
 * The Test Result predicate's vocabulary, used by every report: PASSED when every selected
 * scenario passed or was not applicable, WARNED when the run is ok only thanks to waived
 * (expected) failures, FAILED whenever the run is not ok.
 */
export type RunVerdict = 'PASSED' | 'WARNED' | 'FAILED';

export function runVerdict(result: RunResult): RunVerdict {
  if (!result.ok) return 'FAILED';
  return result.summary.xfailed > 0 ? 'WARNED' : 'PASSED';
}

export interface MustRate {
  profile: Profile;
  passed: number;
  total: number;
}

/** Per selected profile: how many of its MUST requirements passed (waived and not-applicable ones do not count as passed). */
export function mustRates(result: RunResult): MustRate[] {
  return result.selection.profiles.map((profile) => {
    const musts = result.requirements.filter((r) => r.profile === profile && r.level === 'MUST');
    return { profile, passed: musts.filter((r) => r.verdict === 'passed').length, total: musts.length };
  });
}

export function percent(rate: { passed: number; total: number }): string {
  return rate.total === 0 ? '–' : `${Math.floor((rate.passed / rate.total) * 1000) / 10}%`;
}

/** Scenarios that fail the run, in run order: failures and unexpected passes. */
export function failingScenarios(result: RunResult): ScenarioResult[] {
  return result.scenarios.filter((s) => s.status === 'failed' || s.status === 'xpassed');
}

/** Reasons a run fails that belong to no scenario: a MUST no scenario checked, an expired waiver. */
export interface RunLevelFailure {
  /** Stable, for test lists: `requirement EDGE-RO-1`, `waiver EDGE-RO-1`. */
  name: string;
  message: string;
}

export function runLevelFailures(result: RunResult): RunLevelFailure[] {
  const untested = result.requirements
    .filter((r) => r.level === 'MUST' && r.verdict === 'untested')
    .map((r) => ({ name: `requirement ${r.id}`, message: `MUST requirement ${r.id} (${r.profile}) was checked by no scenario` }));
  const expired = result.waivers
    .filter((w) => w.state === 'expired')
    .map((w) => ({
      name: `waiver ${w.requirement}${w.scenario ? ` ${w.scenario}` : ''}`,
      message: `the expected-failure entry for ${w.requirement}${w.scenario ? ` (${w.scenario})` : ''} expired on ${w.expires}: fix it or renew it`,
    }));
  return [...untested, ...expired];
}

/** The area a scenario belongs to: the part of its id before the first `/`. */
export function areaOf(scenarioId: string): string {
  return scenarioId.split('/', 1)[0]!;
}

/** How people read a status. */
export const STATUS_LABEL: Record<ScenarioStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  xfailed: 'expected failure',
  xpassed: 'passed unexpectedly',
  'not-applicable': 'not applicable',
};

/** The summary counts as one line: `3 passed, 1 failed, …` (zero counts but passed and failed left out). */
export function countsLine(result: RunResult): string {
  const s = result.summary;
  const parts = [`${s.passed} passed`, `${s.failed} failed`];
  if (s.xfailed) parts.push(`${s.xfailed} expected failures`);
  if (s.xpassed) parts.push(`${s.xpassed} passed unexpectedly`);
  if (s['not-applicable']) parts.push(`${s['not-applicable']} not applicable`);
  return parts.join(', ');
}
