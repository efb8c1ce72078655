import { remoteModelScenarios } from '../scenarios/model/remote/property.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('the smart remote model-based property', remoteModelScenarios, { runs: 10, timeoutMs: 300_000 });
