import { z } from 'zod';

/** `POST /api/search/aql` (JFrog's AQL execution page): the rows a query selected, and their range. */
export const AqlResult = z.looseObject({
  results: z.array(z.record(z.string(), z.unknown())),
  range: z.looseObject({ start_pos: z.number(), end_pos: z.number(), total: z.number() }).optional(),
});
export type AqlResult = z.infer<typeof AqlResult>;
