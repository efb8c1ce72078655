import { EDGE_FAMILIES } from './edge.ts';
import { EDP_FAMILIES } from './edp.ts';
import type { Family, Requirement } from './types.ts';

export * from './types.ts';

/** Every family, in the order the documents list them. */
export const FAMILIES: readonly Family[] = [...EDGE_FAMILIES, ...EDP_FAMILIES];

/** Every requirement, by ID. */
export const CATALOGUE: ReadonlyMap<string, Requirement> = new Map(FAMILIES.flatMap((f) => f.requirements.map((r) => [r.id, r] as const)));
