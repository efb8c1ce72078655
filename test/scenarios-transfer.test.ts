import { transferScenarios } from '../scenarios/scripted/transfer/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('transfer scenarios', transferScenarios);
