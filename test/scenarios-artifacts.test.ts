import { artifactScenarios } from '../scenarios/scripted/artifacts/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('artifact scenarios', artifactScenarios);
