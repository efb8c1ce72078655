import { afterAll, beforeAll, describe, it } from 'vitest';
import { harnessMaterial } from '../fixtures/keys/index.ts';
import { failureText } from '../reports/index.ts';
import { embeddedTarget, newRunTag, runScenario, type EdgeUnderTest, type Scenario, type Target } from '../scenarios/index.ts';

/**
 * Runs scenarios as vitest tests, one `it` per scenario, against one embedded Edge per file,
 * exactly as `edgeproof conformance` runs them (the runner's `runScenario`). A failure shows the
 * scenario's message, its failed step and its last exchanges.
 */
export function describeScenarios(
  title: string,
  scenarios: readonly Scenario[],
  options: { seed?: number; runs?: number; target?: () => Target; timeoutMs?: number; startTimeoutMs?: number } = {},
): void {
  describe(title, () => {
    let target: Target;
    let edge: EdgeUnderTest;
    const runTag = newRunTag();
    beforeAll(async () => {
      target = options.target?.() ?? embeddedTarget();
      edge = await target.start();
    }, options.startTimeoutMs);
    afterAll(() => target.close(), options.startTimeoutMs);

    for (const scenario of scenarios) {
      it(
        `${scenario.id} [${scenario.requirements.join(', ')}]`,
        async (context) => {
          const result = await runScenario(scenario, {
            target,
            edge,
            material: harnessMaterial(),
            seed: options.seed ?? 1,
            runs: options.runs ?? 20,
            runTag,
            waivers: [],
            today: '2026-11-30',
          });
          if (result.status === 'not-applicable') context.skip(result.reason);
          if (result.status !== 'passed') throw new Error(failureText(result));
        },
        options.timeoutMs,
      );
    }
  });
}
