import { systemScenarios } from '../scenarios/scripted/system.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('system scenarios', systemScenarios);
