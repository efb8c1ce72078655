import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MEDIA } from '../../../protocol/wire/media-types.ts';
import type { EdgeContext } from '../../context.ts';
import { needs } from '../route-access.ts';

/** The Artifactory API level edgeproof answers as (decision 0002). */
export const ARTIFACTORY_VERSION = '7.77.0';
export const EDGEPROOF_VERSION = '0.1.0';

/** System endpoints (jfrog-compat.md §1.8). Probes answer without credentials (EDGE-SYS-3). */
export async function systemRoutes(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  app.get('/artifactory/api/system/ping', needs('public'), async (_request, reply) => reply.type('text/plain').send('OK'));

  app.get('/artifactory/api/system/version', needs('public'), async (_request, reply) =>
    reply.type(MEDIA.version).send({
      version: ARTIFACTORY_VERSION,
      revision: `${ARTIFACTORY_VERSION.replace(/\./g, '')}00`,
      addons: ['rest', 'properties', 'search', 'smart-repo', 'distribution'],
      license: 'Edge',
      edgeproof: EDGEPROOF_VERSION,
    }),
  );

  app.get('/artifactory/api/system/service_id', needs('public'), async (_request, reply) => reply.type('text/plain').send(ctx.serviceId));

  // EDGE-SYS-2
  app.get('/artifactory/api/system/license', needs('reader'), async (request) => {
    ctx.access.requireUser(request.principal);
    return { type: 'Edge', validThrough: 'N/R', licensedTo: 'edgeproof' };
  });

  // EDGE-HA-2: every node that heartbeats into the shared store, this one included.
  app.get('/artifactory/api/system/status', needs('public'), async () => ({
    nodes: (await ctx.node.nodes()).map(({ id, state, lastSeen }) => ({ id, state, heartbeat: lastSeen, current: id === ctx.node.id })),
  }));

  // EDGE-HA-2: ready only while this node can reach the shared metadata store (a load balancer's health check).
  app.get('/artifactory/api/v1/system/readiness', needs('public'), async (_request, reply) => {
    try {
      // A probe writes only where the write is the question: a store shared with other nodes.
      if (ctx.node.shared) await ctx.node.beat();
      return { code: 'OK' };
    } catch {
      return reply.code(503).send({ code: 'UNAVAILABLE' });
    }
  });
  app.get('/artifactory/api/v1/system/liveness', needs('public'), async () => ({ code: 'OK' }));

  app.get('/router/api/v1/system/health', needs('public'), async () => ({
    router: { node_id: ctx.node.id, state: 'HEALTHY', message: 'OK' },
    services: [{ service_id: ctx.serviceId, node_id: ctx.node.id, state: 'HEALTHY', message: 'OK' }],
  }));
}

/** Artifactory sends a stable hex id on every response (jfrog-compat.md §1.3). */
export function artifactoryId(serviceId: string): string {
  return createHash('sha1').update(serviceId).digest('hex');
}
