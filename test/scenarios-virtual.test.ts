import { virtualScenarios } from '../scenarios/scripted/virtual/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('virtual repository scenarios', virtualScenarios, { timeoutMs: 60_000 });
