import { trustScenarios } from '../scenarios/scripted/trust/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('trust scenarios', trustScenarios);
