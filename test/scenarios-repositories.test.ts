import { repositoryScenarios } from '../scenarios/scripted/repositories/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('repository scenarios', repositoryScenarios);
