import type { Scenario } from '../../kit/scenario.ts';
import { npmScenarios } from './npm.ts';
import { pypiScenarios } from './pypi.ts';

/** The package formats' pull APIs (EDGE-PKG), for content a signed bundle delivered. */
export const packageScenarios: Scenario[] = [...npmScenarios, ...pypiScenarios];
