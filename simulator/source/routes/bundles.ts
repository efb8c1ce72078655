import type { Hono } from 'hono';
import { EdgeError } from '../../../protocol/errors.ts';
import { json, readJson, searchParams, text } from '../http.ts';
import type { StoredBundle } from '../state.ts';
import { RELEASE_BUNDLES } from '../../../protocol/wire/edp.ts';
import { SOURCE_STORE, StoreRequest } from '../../../protocol/wire/source-bundles.ts';
import { STORING_REPO, storeBundle } from '../store.ts';
import type { RouteDeps } from './deps.ts';

/** Stored signed bundles: our store call, and JFrog's bundle reads (jfrog-compat.md §3.10). */
export function bundleRoutes(app: Hono, { ctx, state, auth, adminUser }: RouteDeps): void {
  app.post(SOURCE_STORE, auth.admin, async (c) => {
    const request = await readJson(c, StoreRequest, 'Store request');
    const { bundle, created } = storeBundle(state, request, adminUser, ctx.now());
    return json(bundleJson(bundle), created ? 201 : 200);
  });

  app.get(`${RELEASE_BUNDLES}/:name/:version`, auth.reader, (c) => {
    const bundle = state.bundle(c.req.param('name'), c.req.param('version'));
    if (!bundle) throw new EdgeError('NOT_FOUND', `Release bundle ${c.req.param('name')}/${c.req.param('version')} is not stored here.`);
    const format = searchParams(c).get('format') ?? 'json';
    // jfrog-compat.md §3.5: jfrog-client-go reads ?format=jws as the compact JWS string.
    if (format === 'jws') return text(bundle.jws);
    if (format !== 'json') throw new EdgeError('BAD_REQUEST', `Parameter 'format' is json or jws, not '${format.slice(0, 16)}'.`);
    return json(bundleJson(bundle));
  });
}

/** jfrog-compat.md §3.10's bundle view, plus where each clone sits in the storing repository. */
function bundleJson(bundle: StoredBundle): Record<string, unknown> {
  return {
    name: bundle.name,
    version: bundle.version,
    created: new Date(bundle.created).toISOString(),
    storing_repository: STORING_REPO,
    artifacts: bundle.artifacts.map((artifact) => ({
      repo_path: artifact.repoPath,
      checksum: artifact.checksum,
      size: artifact.size,
      props: artifact.props,
      stored_path: `${STORING_REPO}/${artifact.storedPath}`,
    })),
  };
}
