import type { Scenario } from '../../kit/scenario.ts';
import { repositoryConfigurationScenarios } from './configuration.ts';
import { repositoryListScenarios } from './list.ts';

/** The repositories API (EDGE-REPO-*). */
export const repositoryScenarios: Scenario[] = [...repositoryListScenarios, ...repositoryConfigurationScenarios];
