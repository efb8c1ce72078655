import { systemScenarios } from '../scenarios/scripted/system/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('system scenarios', systemScenarios);
