import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Mission Control's error body. The only documented shape is MC 3.x's
 * `{"errors":[{"message","type"}]}` (jfrog-compat.md §0.4); modern MC's is undocumented, so we
 * keep the documented one.
 */
export type McErrorType = 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT' | 'UNAUTHORIZED' | 'INTERNAL';

const STATUS: Record<McErrorType, ContentfulStatusCode> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL: 500,
};

export class McError extends Error {
  readonly type: McErrorType;

  constructor(type: McErrorType, message: string) {
    super(message);
    this.name = 'McError';
    this.type = type;
  }

  get status(): ContentfulStatusCode {
    return STATUS[this.type];
  }
}

export function mcErrorBody(type: McErrorType, message: string): { errors: { message: string; type: McErrorType }[] } {
  return { errors: [{ message, type }] };
}

/** One place where failures become responses; anything unexpected is a 500 without details. */
export function onMcError(ctx: { log: (line: string) => void }) {
  return (err: Error, c: Context): Response => {
    if (err instanceof McError) return c.json(mcErrorBody(err.type, err.message), err.status);
    if (err instanceof HTTPException) return err.getResponse();
    ctx.log(`mission-control: unexpected error: ${err.stack ?? err.message}`);
    return c.json(mcErrorBody('INTERNAL', 'Internal server error.'), 500);
  };
}
