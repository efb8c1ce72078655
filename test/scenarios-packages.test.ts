import { embeddedTarget } from '../scenarios/index.ts';
import { packageScenarios } from '../scenarios/scripted/packages/index.ts';
import { describeScenarios } from './scenario-suite.ts';

describeScenarios('package format scenarios', packageScenarios, { target: () => embeddedTarget() });
