import { trustScenarios } from '../scenarios/scripted/trust/index.ts';
import { describeScenarios } from './scenario-suite.ts';

// 60 runs per refusal family, as many as the tests these scenarios replaced.
describeScenarios('trust scenarios', trustScenarios, { runs: 60 });
