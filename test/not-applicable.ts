import type { RunResult } from '../scenarios/index.ts';

/**
 * Why a scenario may be not applicable against a target that is not embedded: what the target
 * cannot do, or what the Edge does not offer or tell (its limits, repository classes, search,
 * anonymous access, a transaction lifetime a scenario can wait out). Anything else is a problem.
 */
export const EXPLAINED_NOT_APPLICABLE =
  /^the target cannot (restart|more-edges|data-dir)$|^the target cannot reach-loopback: |^the target does not know the Edge's |^the Edge does not hold (virtual|smart remote) repositories|^the Edge has no AQL search|^the Edge has anonymous access (on|off)$|^the Edge's \w+ \(\d+ bytes\) is more than|^transactions on this Edge live|^the Edge does not name its limit/;

/** The scenarios not applicable for a reason `EXPLAINED_NOT_APPLICABLE` does not cover, one line each. */
export function unexplainedNotApplicable(result: RunResult): string[] {
  return result.scenarios.filter((r) => r.status === 'not-applicable' && !EXPLAINED_NOT_APPLICABLE.test(r.reason ?? '')).map((r) => `${r.id}: ${r.reason}`);
}
