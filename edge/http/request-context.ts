import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

const current = new AsyncLocalStorage<FastifyBaseLogger>();

/**
 * The logger of the request being served (it carries the request id), for code below the
 * routes that has no request at hand; outside any request, `fallback`.
 */
export function currentLogger(fallback: FastifyBaseLogger): FastifyBaseLogger {
  return current.getStore() ?? fallback;
}

/**
 * Entered when the request arrives and again after its body is parsed: a parser reads the body
 * from socket events, which run outside the request's async context.
 */
export function trackRequestLogger(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => current.run(request.log, done));
  app.addHook('preValidation', (request, _reply, done) => current.run(request.log, done));
}
