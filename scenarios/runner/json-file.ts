import { readFile } from 'node:fs/promises';
import type { z } from 'zod';

/**
 * The files a run is given (expected failures, replays) are JSON checked by a schema; every
 * problem becomes one line naming the file and, for a schema problem, the member.
 */

export type Complaint = (message: string) => Error;

export async function readJsonFile(file: string, complaint: Complaint): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw complaint(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
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
