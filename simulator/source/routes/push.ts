import type { Hono } from 'hono';
import { json, readJson } from '../http.ts';
import { PushRequest, SOURCE_PUSH } from '../../../protocol/wire/source-bundles.ts';
import { pushBundle } from '../push.ts';
import type { RouteDeps } from './deps.ts';

/**
 * `POST /artifactory/api/edp/push` (our design; README): pushes a stored bundle's files to an
 * Edge's open EDP transaction and reports per file what the Edge answered. 200 whatever the
 * Edge said: the report is the answer; 4xx only for a request the source cannot act on.
 */
export function pushRoutes(app: Hono, { ctx, state, auth }: RouteDeps): void {
  app.post(SOURCE_PUSH, auth.admin, async (c) => {
    const request = await readJson(c, PushRequest, 'Push request');
    return json(await pushBundle(ctx, state, request));
  });
}
