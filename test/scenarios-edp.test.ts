import { edpScenarios } from '../scenarios/scripted/edp/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('edp scenarios', edpScenarios);
