import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';
import { EdgeError } from '../../protocol/errors.ts';
import { printable } from '../../protocol/printable.ts';
import type { EdgeContext } from '../context.ts';
import type { Principal } from '../trust/principal.ts';
import { installErrorHandling } from './errors.ts';
import { declareRoutes } from './route-access.ts';
import { artifactRoutes } from './routes/artifacts.ts';
import { copyMoveRoutes } from './routes/copy-move.ts';
import { repositoryRoutes } from './routes/repositories.ts';
import { securityRoutes } from './routes/security.ts';
import { storageRoutes } from './routes/storage.ts';
import { ARTIFACTORY_VERSION, artifactoryId, nodeId, systemRoutes } from './routes/system.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** Extra route sets (circle of trust, bundles, ...) plug in here without touching the core. */
export type RouteSet = (app: FastifyInstance, ctx: EdgeContext) => Promise<void>;

const CORE_ROUTES: RouteSet[] = [systemRoutes, repositoryRoutes, storageRoutes, copyMoveRoutes, securityRoutes];

/**
 * `routes` parse JSON bodies; `rawBodyRoutes` get the request stream untouched, like artifacts.
 */
export async function buildApp(ctx: EdgeContext, routes: RouteSet[] = [], rawBodyRoutes: RouteSet[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.maxJsonBytes,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 8192 },
    // Requests that never get through the router still get Artifactory's error body.
    clientErrorHandler: answerMalformedRequest,
    frameworkErrors: (error, request, reply) => {
      void reply
        .code(400 as never)
        .type('application/json')
        .send(new EdgeError('BAD_PATH', 'Invalid path: the URL could not be decoded.').toBody() as never);
      request.log.debug({ err: error }, 'framework error');
    },
  });
  app.decorateRequest('principal', null as never);
  declareRoutes(app);
  installErrorHandling(app);

  const headers = {
    'x-jfrog-version': `Artifactory/${ARTIFACTORY_VERSION}`,
    'x-artifactory-id': artifactoryId(ctx.serviceId),
    'x-artifactory-node-id': nodeId(ctx.serviceId),
  };
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers);
    // EDGE-AUTH-1: credentials are checked before routing logic sees the request.
    request.principal = await ctx.authenticator.authenticate(request.headers.authorization);
    // EDGE-IN-7: no endpoint takes a parameter twice; guessing which one counts would be worse.
    const repeated = Object.entries(request.query as Record<string, unknown>).find(([, value]) => Array.isArray(value));
    if (repeated) throw new EdgeError('BAD_REQUEST', `Parameter '${printable(repeated[0])}' is given more than once.`);
  });

  // Some clients label every request JSON, body or not (a DELETE, say); an empty body is no body.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return jsonParser(request, body as string, done);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  for (const register of [...CORE_ROUTES, ...routes]) await register(app, ctx);
  // Artifacts own their own body handling (raw streams), so they live in their own context.
  await app.register(async (scope) => {
    await artifactRoutes(scope, ctx);
    for (const register of rawBodyRoutes) await register(scope, ctx);
  });
  return app;
}

/**
 * EDGE-IN-7: requests Node's HTTP parser refuses (a non-numeric Content-Length, a broken request
 * line) still get Artifactory's error body, and the connection is closed because its framing
 * can no longer be trusted.
 */
function answerMalformedRequest(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return;
  const body = JSON.stringify(new EdgeError('BAD_REQUEST', 'Malformed HTTP request.').toBody());
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
