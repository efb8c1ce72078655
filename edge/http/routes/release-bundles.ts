import type { FastifyInstance } from 'fastify';
import { storedPayload } from '../../../protocol/bundle/index.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { RELEASE_BUNDLES, releaseBundleJson, type BundleList } from '../../../protocol/wire/edp.ts';
import { mayReadBundle } from '../../bundles/bundle-access.ts';
import type { EdpService } from '../../bundles/edp.ts';
import type { EdgeContext } from '../../context.ts';
import type { BundleStore } from '../../storage/bundles.ts';
import { needs } from '../route-access.ts';

type NameVersion = { Params: { name: string; version: string } };

/**
 * Release bundles as an Edge shows them (jfrog-compat.md §3.10): anyone who may read the Edge may
 * list them (EDP-PUB-6) and fetch one, as JSON (EDP-PUB-7) or as the JWS exactly as received
 * (EDP-PUB-8), so a client can
 * verify the signature itself — each bundle only when they may read all of its files
 * (EDGE-AUTH-5). Deleting is Distribution's (admin) call.
 */
export function releaseBundleRoutes(store: BundleStore, edp: EdpService) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    app.get(RELEASE_BUNDLES, needs('reader'), async (request): Promise<BundleList> => {
      ctx.access.requireUser(request.principal);
      // EDGE-IN-7: a bundle named like an Object.prototype member is an ordinary own key.
      const bundles = new Map<string, BundleList['bundles'][string]>();
      for (const bundle of await store.bundles()) {
        if (!(await mayReadBundle(ctx, store, request.principal, bundle))) continue;
        const versions = bundles.get(bundle.name) ?? [];
        versions.push({ version: bundle.version, created: bundle.created, status: 'COMPLETE', keep: false });
        bundles.set(bundle.name, versions);
      }
      return { bundles: Object.fromEntries(bundles) };
    });

    app.get<NameVersion>(`${RELEASE_BUNDLES}/:name/:version`, needs('read'), async (request, reply) => {
      ctx.access.requireUser(request.principal);
      const bundle = await store.bundle(request.params.name, request.params.version);
      if (!bundle || !(await mayReadBundle(ctx, store, request.principal, bundle)))
        throw new EdgeError('EDP_BUNDLE_UNKNOWN', `No release bundle ${request.params.name}/${request.params.version}.`);
      const { format } = request.query as { format?: string };
      if (format === 'jws') return reply.type('text/plain').send(bundle.jws);
      if (format !== undefined && format !== 'json') throw new EdgeError('BAD_REQUEST', "format must be 'json' or 'jws'.");
      // EDP-PUB-7, EDP-SIG-22: JFrog's fields only; members the Edge does not know stay in the JWS.
      return releaseBundleJson(storedPayload(bundle.jws));
    });

    app.delete<NameVersion>(`${RELEASE_BUNDLES}/:name/:version`, needs('distributor'), async (request, reply) => {
      ctx.access.requireAdmin(request.principal);
      await edp.deleteBundle(request.params.name, request.params.version);
      return reply.status(204).send();
    });
  };
}
