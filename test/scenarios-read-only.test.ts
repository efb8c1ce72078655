import { embeddedTarget } from '../scenarios/index.ts';
import { readOnlyScenarios } from '../scenarios/scripted/read-only/index.ts';
import { describeScenarios } from './scenario-suite.ts';

// Anonymous access on, so the anonymous identity is held to EDGE-RO-1's exact refusal too. Each
// scenario sends every write by every identity, with a snapshot after each: minutes on a busy machine.
describeScenarios('read-only scenarios', readOnlyScenarios, {
  target: () => embeddedTarget({ config: { anonymousAccess: true } }),
  timeoutMs: 300_000,
});
