import type { Scenario } from '../../kit/scenario.ts';
import { protectedUploadsScenarios } from './protected.ts';
import { uploadsWriteScenarios } from './writes.ts';

/** The uploads repository: always there, never removed or re-classed, and writable (EDGE-RO-1, EDGE-RO-3). */
export const uploadsScenarios: Scenario[] = [...protectedUploadsScenarios, ...uploadsWriteScenarios];
