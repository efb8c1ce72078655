import { edpBundleScenarios } from '../scenarios/scripted/edp/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('edp scenarios: the signed bundle', edpBundleScenarios, { timeoutMs: 120_000 });
