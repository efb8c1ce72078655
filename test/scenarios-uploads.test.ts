import { uploadsScenarios } from '../scenarios/scripted/uploads/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('uploads repository scenarios', uploadsScenarios);
