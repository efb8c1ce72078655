import type { Scenario } from '../../kit/scenario.ts';
import { happyPathScenarios } from './happy-path.ts';

/** Signed bundles transferred through the simulated platform, with and without seeded faults. */
export const transferScenarios: readonly Scenario[] = [...happyPathScenarios];
