import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** Distribution's own error body `{"status_code","message","detail"?}` (jfrog-compat.md §0.3). */
export interface DistributionErrorBody {
  status_code: number;
  message: string;
  detail?: string;
}

export class DistributionError extends Error {
  readonly status: ContentfulStatusCode;
  readonly detail: string | undefined;

  constructor(status: ContentfulStatusCode, message: string, detail?: string) {
    super(message);
    this.name = 'DistributionError';
    this.status = status;
    this.detail = detail;
  }

  toBody(): DistributionErrorBody {
    return errorBody(this.status, this.message, this.detail);
  }
}

export function errorBody(status: number, message: string, detail?: string): DistributionErrorBody {
  return detail === undefined ? { status_code: status, message } : { status_code: status, message, detail };
}

export const badRequest = (message: string, detail?: string) => new DistributionError(400, message, detail);
export const notFound = (message: string) => new DistributionError(404, message);
export const conflict = (message: string) => new DistributionError(409, message);
/** Another service (Mission Control, the source Artifactory) failed: not the client's fault, not ours. */
export const badGateway = (message: string, detail?: string) => new DistributionError(502, message, detail);

/** The first problem zod found, said as "<where> <what>". */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  if (value === undefined) throw badRequest(`Invalid ${what}: a JSON body is required.`);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  throw badRequest(`Invalid ${what}: ${where}: ${issue?.message ?? 'is invalid'}`);
}

/** The JSON body, or undefined when there is none; malformed JSON is the client's 400. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

/** One place where failures become responses; anything unexpected is a 500 without details. */
export function onDistributionError(log: (line: string) => void) {
  return (err: Error, c: Context): Response => {
    if (err instanceof DistributionError) return c.json(err.toBody(), err.status);
    if (err instanceof HTTPException) return err.getResponse();
    log(`distribution: unexpected error: ${err.stack ?? err.message}`);
    return c.json(errorBody(500, 'Internal server error.'), 500);
  };
}
