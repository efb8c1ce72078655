import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessMaterial } from '../fixtures/keys/index.ts';
import { embeddedTarget, newRunTag, runScenario, type EdgeUnderTest, type Target } from '../scenarios/index.ts';
import { transferScenarios } from '../scenarios/scripted/transfer/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('transfer scenarios', transferScenarios);

describe('seeded fault plans of the transfer scenarios', () => {
  let target: Target;
  let edge: EdgeUnderTest;
  beforeAll(async () => {
    target = embeddedTarget();
    edge = await target.start();
  });
  afterAll(() => target.close());

  it('a run keeps the plan it injected, seeded with the scenario seed, and a second run with the run seed injects the same plan', {
    timeout: 60_000,
  }, async () => {
    const resume = transferScenarios.find((s) => s.id === 'transfer/resume-after-dropped-connection');
    if (!resume) throw new Error('transfer/resume-after-dropped-connection is not in the suite');
    const run = () =>
      runScenario(resume, { target, edge, material: harnessMaterial(), seed: 7, runs: 1, runTag: newRunTag(), waivers: [], today: '2026-11-30' });
    const first = await run();
    const second = await run();
    expect([first.status, second.status], first.failure?.message ?? second.failure?.message).toEqual(['passed', 'passed']);
    expect(first.faultPlans).toEqual([
      expect.objectContaining({ seed: first.seed, rules: [expect.objectContaining({ fault: { kind: 'reset', afterBytes: 4096 } })] }),
    ]);
    expect(second.seed).toBe(first.seed);
    expect(second.faultPlans).toEqual(first.faultPlans);
  });
});
