import type { FastifyInstance } from 'fastify';
import type { RefusalFeed } from '../../bundles/refusal-feed.ts';
import type { EdgeContext } from '../../context.ts';
import { needs } from '../route-access.ts';

/** Not JFrog's: edgeproof's own API, under its own name so it can never shadow one of Artifactory's. */
export const DISTRIBUTION_REFUSALS = '/artifactory/api/edgeproof/distribution/refusals';

/**
 * EDGE-UI-5: recent refused deliveries with their EDP codes. Admins only (decision 0026): a
 * refusal names bundles, transactions and paths a reader may not be allowed to see, and
 * filtering them by permission would still tell what was attempted.
 */
export function distributionRefusalRoutes(feed: RefusalFeed) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    app.get(DISTRIBUTION_REFUSALS, needs('admin'), async (request) => {
      ctx.access.requireAdmin(request.principal);
      return { events: feed.recent() };
    });
  };
}
