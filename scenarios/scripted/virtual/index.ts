import type { Scenario } from '../../kit/scenario.ts';
import { virtualScenarios as all } from './virtuals.ts';

/** Virtual repositories (EDGE-VR-*). */
export const virtualScenarios: Scenario[] = [...all];
