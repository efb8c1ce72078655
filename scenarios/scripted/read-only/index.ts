import type { Scenario } from '../../kit/scenario.ts';
import { refusalScenarios } from './refusals.ts';
import { smartRemoteScenarios } from './smart-remotes.ts';

/** The read-only Edge (EDGE-RO-1, -2, -4); the uploads repository's own rules are in ../uploads. */
export const readOnlyScenarios: Scenario[] = [...refusalScenarios, ...smartRemoteScenarios];
