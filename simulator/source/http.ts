import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { EdgeError, errorBody } from '../../protocol/errors.ts';
import { parseItemUrlAfter, type ItemAddress } from '../../protocol/paths.ts';
import { artifactoryBase as baseOf } from '../../protocol/wire/urls.ts';

/** Small HTTP helpers shared by the source's routes. Responses are plain `Response`s. */

export function json(body: unknown, status = 200, mediaType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': mediaType } });
}

export function text(body: string, status = 200, mediaType = 'text/plain'): Response {
  return new Response(body, { status, headers: { 'content-type': mediaType } });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/**
 * Refusals become Artifactory's error body (jfrog-compat.md §0.2) with a stable code; anything
 * else is a bug in the simulator and says so as a 500, never dressed up as a client error.
 */
export function installErrorHandling(app: Hono, log: (line: string) => void): void {
  app.onError((error) => {
    if (error instanceof EdgeError) {
      const response = json(error.toBody(), error.status);
      // Artifactory challenges for basic auth on 401 (jfrog-compat.md §0.2 "Bad credentials").
      if (error.status === 401) response.headers.set('www-authenticate', 'Basic realm="Artifactory Realm"');
      return response;
    }
    log(`source: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return json(errorBody(500, 'Internal error in the source simulator.', 'INTERNAL'), 500);
  });
  app.notFound(() => json(errorBody(404, 'Not found', 'NOT_FOUND'), 404));
}

/** The request path as sent (still percent-encoded), so no decoding happens before validation. */
function rawPath(c: Context): string {
  return new URL(c.req.url).pathname;
}

export function searchParams(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

/** `{prefix}/{repo}/{path}` → a validated address (BAD_PATH / BAD_REPO_KEY otherwise). */
export function itemAddress(c: Context, prefix: string): ItemAddress {
  return parseItemUrlAfter(rawPath(c), prefix);
}

/** `/artifactory` on the host the client used, for `uri`/`downloadUri` fields. */
export function artifactoryBase(c: Context): string {
  return baseOf(new URL(c.req.url).origin);
}

/**
 * A JSON body, validated by `schema`; anything else is a 400 naming the member and the
 * problem. An empty body reads as `whenEmpty` when given, else it is refused.
 */
export async function readJson<T>(c: Context, schema: z.ZodType<T>, what: string, whenEmpty?: unknown): Promise<T> {
  const parsed = schema.safeParse(await readJsonValue(c, whenEmpty));
  if (parsed.success) return parsed.data;
  // A failed parse always carries at least one issue; the first is reported.
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const member = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  throw new EdgeError('INVALID_BODY', `${what}: ${member === '' ? 'body' : member.replace(/^\./, '')} ${issue.message}.`);
}

async function readJsonValue(c: Context, whenEmpty: unknown): Promise<unknown> {
  const body = await c.req.text();
  if (body.trim() === '') {
    if (whenEmpty !== undefined) return whenEmpty;
    throw new EdgeError('INVALID_BODY', 'A JSON body is required.');
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new EdgeError('MALFORMED_JSON', `The body is not valid JSON: ${(error as Error).message}`);
  }
}
