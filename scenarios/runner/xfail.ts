import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseWith, readJsonBytes } from './json-file.ts';

/**
 * Expected failures (waivers), as an implementer declares them: each names a requirement (and
 * optionally one scenario), a reason and an expiry date. Strict, like tuf-conformance: a
 * waived scenario that passes fails the run, and so does an expired waiver.
 */

const entry = z.strictObject({
  requirement: z.string().regex(/^[A-Z]+(-[A-Z]+)+-\d+$/, 'a requirement ID such as EDGE-RO-1'),
  scenario: z.string().min(1).optional(),
  reason: z.string().min(1),
  expires: z.iso.date(),
});

export const xfailFileSchema = z.strictObject({ expectedFailures: z.array(entry) });

export type Waiver = z.output<typeof entry>;

export class XfailFileError extends Error {
  override readonly name = 'XfailFileError';
}

const complaint = (message: string) => new XfailFileError(message);

export function parseXfail(input: unknown, where = 'expected failures'): Waiver[] {
  return parseWith(xfailFileSchema, input, where, complaint).expectedFailures;
}

/** The file a run's waivers came from: the result names it and the attestation binds its digest. */
export interface XfailSource {
  file: string;
  sha256: string;
}

export async function readXfail(file: string): Promise<Waiver[]> {
  return (await readXfailFile(file)).waivers;
}

/** The waivers and the digest of the very bytes they were parsed from. */
export async function readXfailFile(file: string): Promise<{ waivers: Waiver[]; source: XfailSource }> {
  const { json, bytes } = await readJsonBytes(file, complaint);
  return { waivers: parseXfail(json, file), source: { file, sha256: createHash('sha256').update(bytes).digest('hex') } };
}

/** Whether `waiver` covers the scenario: its requirement is one the scenario names, and the scenario matches when given. */
export function covers(waiver: Waiver, scenario: { id: string; requirements: readonly string[] }): boolean {
  return scenario.requirements.includes(waiver.requirement) && (waiver.scenario === undefined || waiver.scenario === scenario.id);
}

/** Expired on `today` (YYYY-MM-DD): the expiry date is the last day the waiver holds. */
export function expired(waiver: Waiver, today: string): boolean {
  return waiver.expires < today;
}
