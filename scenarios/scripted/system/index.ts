import type { Scenario } from '../../kit/scenario.ts';
import { systemEndpointScenarios } from './endpoints.ts';
import { systemHeaderScenarios } from './headers.ts';
import { serviceIdScenarios } from './service-id.ts';

/** System endpoints and the headers of every answer (EDGE-SYS-*). */
export const systemScenarios: Scenario[] = [...serviceIdScenarios, ...systemEndpointScenarios, ...systemHeaderScenarios];
