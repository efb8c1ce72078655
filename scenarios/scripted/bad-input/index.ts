import { bodyLimitScenarios } from './body-limits.ts';
import { hostilePathPropertyScenarios } from './hostile-path-property.ts';
import { hostilePathScenarios } from './hostile-paths.ts';
import { jsonBodyScenarios } from './json-bodies.ts';
import { oddRequestScenarios } from './odd-requests.ts';
import { repositoryKeyScenarios } from './repository-keys.ts';
import { requestIdScenarios } from './request-ids.ts';

/** Bad input (EDGE-IN-*): hostile paths, repository keys, JSON bodies, body limits, odd requests, request ids. */
export const badInputScenarios = [
  ...hostilePathScenarios,
  ...repositoryKeyScenarios,
  ...jsonBodyScenarios,
  ...bodyLimitScenarios,
  ...oddRequestScenarios,
  ...requestIdScenarios,
  ...hostilePathPropertyScenarios,
];
