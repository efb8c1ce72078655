import type { Scenario } from './kit/scenario.ts';
import { modelScenarios } from './model/property.ts';
import { remoteModelScenarios } from './model/remote/property.ts';
import { accessScenarios } from './scripted/access/index.ts';
import { artifactScenarios } from './scripted/artifacts/index.ts';
import { badInputScenarios } from './scripted/bad-input/index.ts';
import { edpScenarios } from './scripted/edp/index.ts';
import { packageScenarios } from './scripted/packages/index.ts';
import { pathPermissionScenarios } from './scripted/path-permissions/index.ts';
import { readOnlyScenarios } from './scripted/read-only/index.ts';
import { repositoryScenarios } from './scripted/repositories/index.ts';
import { smartRemoteScenarios } from './scripted/smart-remote/index.ts';
import { virtualScenarios } from './scripted/virtual/index.ts';
import { systemScenarios } from './scripted/system/index.ts';
import { transferScenarios } from './scripted/transfer/index.ts';
import { trustScenarios } from './scripted/trust/index.ts';
import { uploadsScenarios } from './scripted/uploads/index.ts';

/** Every scenario of the suite, in the order a run takes them. */
export const SUITE: readonly Scenario[] = [
  ...systemScenarios,
  ...repositoryScenarios,
  ...artifactScenarios,
  ...uploadsScenarios,
  ...readOnlyScenarios,
  ...badInputScenarios,
  ...accessScenarios,
  ...pathPermissionScenarios,
  ...trustScenarios,
  ...transferScenarios,
  ...edpScenarios,
  ...smartRemoteScenarios,
  ...virtualScenarios,
  ...remoteModelScenarios,
  ...packageScenarios,
  ...modelScenarios,
];

/** The suite's version, which reports and attestations name: minor for new scenarios, major when a target's contract changes. */
export const SUITE_VERSION = '1.0.0';
