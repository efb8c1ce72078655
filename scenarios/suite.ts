import type { Scenario } from './kit/scenario.ts';
import { modelScenarios } from './model/property.ts';
import { accessScenarios } from './scripted/access/index.ts';
import { badInputScenarios } from './scripted/bad-input/index.ts';
import { pathPermissionScenarios } from './scripted/path-permissions/index.ts';
import { systemScenarios } from './scripted/system.ts';

/** Every scenario of the suite, in the order a run takes them. */
export const SUITE: readonly Scenario[] = [...systemScenarios, ...badInputScenarios, ...accessScenarios, ...pathPermissionScenarios, ...modelScenarios];

/** The suite's version, which reports and attestations name: minor for new scenarios, major when a target's contract changes. */
export const SUITE_VERSION = '1.0.0';
