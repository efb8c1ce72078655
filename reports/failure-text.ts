import { diff } from '@vitest/utils/diff';
import type { ScenarioResult } from '../scenarios/index.ts';
import { exchangeLine } from '../scenarios/kit/exchanges.ts';
import { STATUS_LABEL } from './run-facts.ts';

/** A scenario's failure as plain text: what JUnit readers, the terminal and vitest show. */

const plain = (s: string) => s;
const DIFF_OPTIONS = {
  aAnnotation: 'Expected',
  bAnnotation: 'Actual',
  aColor: plain,
  bColor: plain,
  changeColor: plain,
  commonColor: plain,
  patchColor: plain,
};

/** The expected/actual of a failed expectation as a unified line diff (`- Expected`, `+ Actual`), when there is one. */
export function failureDiff(failure: ScenarioResult['failure']): string | undefined {
  if (failure?.expected === undefined || failure.actual === undefined) return undefined;
  return diff(failure.expected, failure.actual, DIFF_OPTIONS) || undefined;
}

export function failedStep(scenario: ScenarioResult): string | undefined {
  // Steps are recorded as they end: the last failed one is the outermost, the step the scenario was in.
  return scenario.steps.findLast((s) => s.status === 'failed')?.title;
}

/** The exchanges a short report shows: the last few, where a failure usually is. */
export const LAST_EXCHANGES = 5;

/** Status, message, failed step, diff, counterexample, cleanup problems and the last exchanges, one block. */
export function failureText(scenario: ScenarioResult): string {
  const step = failedStep(scenario);
  const difference = failureDiff(scenario.failure);
  const c = scenario.counterexample;
  const exchanges = scenario.exchanges.slice(-LAST_EXCHANGES).map((e) => `  ${exchangeLine(e)}`);
  return [
    `${scenario.id}: ${STATUS_LABEL[scenario.status]}${scenario.reason ? ` (${scenario.reason})` : ''}`,
    ...(scenario.failure ? [scenario.failure.message] : []),
    ...(step ? [`failed step: ${step}`] : []),
    ...(difference ? [difference] : []),
    ...(c ? [`counterexample (seed ${c.seed}, path ${c.path}${c.replayPath ? `, replayPath ${c.replayPath}` : ''}):`, ...c.steps.map((s) => `  ${s}`)] : []),
    ...(scenario.cleanupProblems?.length ? ['cleanup problems:', ...scenario.cleanupProblems.map((p) => `  ${p}`)] : []),
    ...(exchanges.length ? [`last exchanges (${exchanges.length} of ${scenario.exchanges.length}):`, ...exchanges] : []),
  ].join('\n');
}
