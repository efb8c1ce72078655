import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

/**
 * The files a run is given (expected failures, replays) are JSON checked by a schema; every
 * problem becomes one line naming the file and, for a schema problem, the member.
 */

export type Complaint = (message: string) => Error;

export async function readJsonFile(file: string, complaint: Complaint): Promise<unknown> {
  return (await readJsonBytes(file, complaint)).json;
}

/** The parsed JSON and the very bytes it was parsed from (for a digest of what was read). */
export async function readJsonBytes(file: string, complaint: Complaint): Promise<{ json: unknown; bytes: Buffer }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw complaint(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return { json: JSON.parse(bytes.toString('utf8')), bytes };
  } catch (error) {
    throw complaint(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/** `input` as `schema` reads it; otherwise the first problem, as `where: member: message`. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, where: string, complaint: Complaint): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw complaint(`${where}: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
}
