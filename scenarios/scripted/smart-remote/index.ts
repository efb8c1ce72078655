import type { Scenario } from '../../kit/scenario.ts';
import { cacheScenarios } from './cache.ts';
import { concurrencyScenarios } from './concurrency.ts';
import { creationScenarios } from './creation.ts';
import { faultScenarios } from './faults.ts';
import { periodScenarios } from './periods.ts';
import { pullThroughScenarios } from './pull-through.ts';
import { syncScenarios } from './sync.ts';

/** Smart remote repositories (EDGE-SR-*): the upstream is the upstream simulator, and for pull-through also another Edge. */
export const smartRemoteScenarios: Scenario[] = [
  ...creationScenarios,
  ...pullThroughScenarios,
  ...faultScenarios,
  ...periodScenarios,
  ...concurrencyScenarios,
  ...syncScenarios,
  ...cacheScenarios,
];
