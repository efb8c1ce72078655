import type { Hono } from 'hono';
import { EdgeError } from '../../../protocol/errors.ts';
import { parseAql } from '../aql/parse.ts';
import { runAql } from '../aql/run.ts';
import { json } from '../http.ts';
import type { RouteDeps } from './deps.ts';

/** A bundle spec's query is a line or two; this bounds the parser's work. */
const MAX_QUERY_CHARS = 64 * 1024;

/**
 * `POST /artifactory/api/search/aql`, body `text/plain` (JFrog's AQL execution page; bundle
 * specs carry such queries, jfrog-compat.md §3.1). Malformed queries are a 400 naming the problem.
 */
export function aqlRoutes(app: Hono, { state, auth }: RouteDeps): void {
  app.post('/artifactory/api/search/aql', auth.reader, async (c) => {
    const query = await c.req.text();
    if (query.trim() === '') throw new EdgeError('BAD_REQUEST', 'AQL: the body must be a query such as items.find({"repo":"libs-local"}).');
    if (query.length > MAX_QUERY_CHARS) throw new EdgeError('BODY_TOO_LARGE', `AQL: queries are limited to ${MAX_QUERY_CHARS} characters.`);
    return json(runAql(state.allItems(), parseAql(query)));
  });
}
