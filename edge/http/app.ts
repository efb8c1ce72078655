import Fastify, { type FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';
import { ulid } from 'ulid';
import { EdgeError } from '../../protocol/errors.ts';
import { printable } from '../../protocol/printable.ts';
import type { EdgeContext } from '../context.ts';
import type { Principal } from '../trust/principal.ts';
import { AccessLog } from './access-log.ts';
import { installErrorHandling, sendError, withRequestId } from './errors.ts';
import { trackRequestLogger } from './request-context.ts';
import { REQUEST_ID_HEADER, requestIdGenerator } from './request-id.ts';
import { declareRoutes } from './route-access.ts';
import { artifactRoutes, type ComputedFile } from './routes/artifacts.ts';
import { copyMoveRoutes } from './routes/copy-move.ts';
import { repositoryRoutes } from './routes/repositories.ts';
import { securityRoutes } from './routes/security.ts';
import { storageRoutes } from './routes/storage.ts';
import { ARTIFACTORY_VERSION, artifactoryId, systemRoutes } from './routes/system.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

/** Extra route sets (circle of trust, bundles, ...) plug in here without touching the core. */
export type RouteSet = (app: FastifyInstance, ctx: EdgeContext) => Promise<void>;

const CORE_ROUTES: RouteSet[] = [systemRoutes, repositoryRoutes, storageRoutes, copyMoveRoutes, securityRoutes];

/**
 * `routes` parse JSON bodies; `rawBodyRoutes` get the request stream untouched, like artifacts;
 * `computedFiles` are files formats compute in the plain `/artifactory/{repo}/{path}` layout.
 */
export async function buildApp(
  ctx: EdgeContext,
  routes: RouteSet[] = [],
  rawBodyRoutes: RouteSet[] = [],
  computedFiles: readonly ComputedFile[] = [],
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger,
    logController: new AccessLog(),
    genReqId: requestIdGenerator(ctx.now),
    bodyLimit: ctx.config.maxJsonBytes,
    // Answered below, in Artifactory's error body with a request id, rather than Fastify's.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 8192 },
    // Requests that never get through the router still get Artifactory's error body.
    clientErrorHandler: (error, socket) => answerMalformedRequest(error, socket, ulid(ctx.now()), ctx),
    frameworkErrors: (error, request, reply) => {
      request.log.debug({ err: error }, 'framework error');
      sendError(new EdgeError('BAD_PATH', 'Invalid path: the URL could not be decoded.'), request, reply as never);
    },
  });
  app.decorateRequest('principal', null as never);
  declareRoutes(app);
  installErrorHandling(app);
  trackRequestLogger(app);
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  // EDGE-SYS-4: on every response, refusals included.
  const headers = {
    'x-jfrog-version': `Artifactory/${ARTIFACTORY_VERSION}`,
    'x-artifactory-id': artifactoryId(ctx.serviceId),
    'x-artifactory-node-id': ctx.node.id,
  };
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers);
    // A request on a connection kept alive across the start of shutdown.
    if (closing) {
      reply.header('connection', 'close');
      throw new EdgeError('UNAVAILABLE', 'This Edge is shutting down.');
    }
    // EDGE-AUTH-1: credentials are checked before routing logic sees the request.
    request.principal = await ctx.authenticator.authenticate(request.headers.authorization, request.ip);
    // EDP-TX-1: who may drive the protocol is known from the credentials alone, so anyone else
    // is refused here, before a byte of the body is read (the handlers check again).
    if (request.routeOptions.config?.access === 'distributor') ctx.access.requireAdmin(request.principal);
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
    await artifactRoutes(scope, ctx, computedFiles);
    for (const register of rawBodyRoutes) await register(scope, ctx);
  });
  return app;
}

/**
 * EDGE-IN-7: requests Node's HTTP parser refuses (a non-numeric Content-Length, a broken request
 * line) still get Artifactory's error body, and the connection is closed because its framing
 * can no longer be trusted. Fastify never sees them, so their request id and log line are made
 * here (EDGE-OPS-3, EDGE-OPS-4).
 */
function answerMalformedRequest(error: Error & { code?: string }, socket: Socket, requestId: string, ctx: EdgeContext): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return;
  const body = JSON.stringify(withRequestId(new EdgeError('BAD_REQUEST', 'Malformed HTTP request.').toBody(), requestId));
  const response = `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${requestId}\r\n\r\n${body}`;
  socket.end(response);
  ctx.logger.info({ requestId, status: 400, bytes: Buffer.byteLength(response), address: socket.remoteAddress, reason: error.code }, 'request');
}
