import { pathPermissionScenarios } from '../scenarios/scripted/path-permissions/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('path-permission scenarios', pathPermissionScenarios);
