import { modelScenarios } from '../scenarios/model/property.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('the model-based property', modelScenarios, { runs: 10, timeoutMs: 180_000 });
