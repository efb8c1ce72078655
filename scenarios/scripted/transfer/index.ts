import type { Scenario } from '../../kit/scenario.ts';
import { dedupScenarios } from './dedup.ts';
import { happyPathScenarios } from './happy-path.ts';
import { redeliveryScenarios } from './redelivery.ts';
import { resumeScenarios } from './resume.ts';

/** Signed bundles transferred through the simulated platform, with and without seeded faults. */
export const transferScenarios: readonly Scenario[] = [...happyPathScenarios, ...dedupScenarios, ...redeliveryScenarios, ...resumeScenarios];
