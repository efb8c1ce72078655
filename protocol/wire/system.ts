import { z } from 'zod';

/** Artifactory's system endpoints (jfrog-compat.md §1.8, §0.5). */
export const SYSTEM = '/artifactory/api/system';

export const Version = z.looseObject({ version: z.string(), revision: z.string(), addons: z.array(z.string()) });
export type Version = z.infer<typeof Version>;
