import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { principalName } from '../trust/principal.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

/** The field every line of a request carries its id in, and the error body's member name. */
export const REQUEST_ID_FIELD = 'requestId';
const MAX_LOGGED_PATH = 2048;

/**
 * EDGE-OPS-3, EDGE-OPS-4: Fastify hands every request it sees to its log controller first,
 * routed or not (unknown routes, undecodable URLs), so this is where a request gets its
 * `X-Request-Id` response header and its one access-log line. The line is written when the
 * response closes, so a download the client abandoned is logged too (`aborted`). Fastify's own
 * per-request lines stay off: this line replaces them.
 */
export class AccessLog extends LogController {
  constructor() {
    super({ disableRequestLogging: true, requestIdLogLabel: REQUEST_ID_FIELD });
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    reply.header(REQUEST_ID_HEADER, request.id);
    const socket = request.raw.socket;
    // Bytes written to the connection (headers included): right for streams of any length.
    const bytesBefore = socket.bytesWritten;
    const started = performance.now();
    reply.raw.once('close', () => {
      request.log.info(
        {
          method: request.method,
          // The query string is left out: it is where secrets travel when they travel in URLs.
          path: pathOf(request.url),
          status: reply.raw.headersSent ? reply.statusCode : null,
          bytes: socket.bytesWritten - bytesBefore,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          user: request.principal ? principalName(request.principal) : null,
          address: request.ip,
          ...(reply.raw.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
  }

  override requestCompleted(): void {}
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
}
