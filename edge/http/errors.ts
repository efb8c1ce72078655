import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EdgeError, type ArtifactoryErrorBody, type ErrorCode } from '../../protocol/errors.ts';

/** Fastify's own 4xx errors, named in our codes so clients see one vocabulary. */
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_BAD_URL: 'BAD_PATH',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_REQUEST',
};

const FRAMEWORK_MESSAGES: Partial<Record<ErrorCode, string>> = {
  MALFORMED_JSON: 'The request body is not valid JSON.',
  BODY_TOO_LARGE: 'The request body is larger than the limit.',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported Content-Type.',
  BAD_PATH: 'Invalid path: the URL could not be decoded.',
};

export const AUTH_CHALLENGE = 'Basic realm="Artifactory Realm"';

/**
 * EDGE-IN-5, EDGE-IN-7: one place where failures become responses: EdgeErrors keep their code and message,
 * framework 4xx errors get ours, and anything else is a 500 whose details stay in the log
 * (never a stack trace to the client).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | EdgeError, request, reply) => sendError(error, request, reply));
  // EDGE-SYS-4: a path no route serves is a 404 in Artifactory's error body.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    sendError(new EdgeError('NOT_FOUND', `No resource at ${truncate(path)}.`), request, reply);
  });
}

/**
 * `shape` lets a client protocol add what its clients read to the body (npm's `error`), with
 * Artifactory's `errors` kept.
 */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply, shape: (body: ArtifactoryErrorBody) => object = (body) => body): void {
  const edgeError = toEdgeError(error);
  if (edgeError.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.debug({ code: edgeError.code, reason: edgeError.message }, 'request refused');
  if (reply.sent || reply.raw.headersSent) {
    reply.raw.destroy();
    return;
  }
  // EDGE-MVN-1: every 401 challenges; Maven (Wagon) sends its settings.xml credentials only after it.
  if (edgeError.status === 401) reply.header('www-authenticate', AUTH_CHALLENGE);
  const retryAfter = edgeError.details?.retry_after;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  // A refused upload may still be streaming; do not read the rest of it on this connection.
  if (request.raw.readableEnded === false && request.method !== 'GET' && request.method !== 'HEAD') reply.header('connection', 'close');
  reply
    .status(edgeError.status)
    .type('application/json')
    .send(shape(withRequestId(edgeError.toBody(), request.id)));
}

/**
 * EDGE-OPS-3: each error entry names its request, as the `X-Request-Id` header and the log
 * do, so what a client reports leads to the log line. Next to `code`: clients that know only
 * Artifactory ignore members they do not know (decision 0010).
 */
export function withRequestId(body: ArtifactoryErrorBody, requestId: string): ArtifactoryErrorBody {
  return { errors: body.errors.map((entry) => ({ ...entry, requestId })) };
}

/** The client went away mid-body: nothing to answer, but not a server fault either. */
const CLIENT_GONE = new Set(['ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'EPIPE']);

export function toEdgeError(error: unknown): EdgeError {
  if (error instanceof EdgeError) return error;
  const fastifyError = error as Partial<FastifyError>;
  if ((fastifyError.code && CLIENT_GONE.has(fastifyError.code)) || (error as Error)?.message === 'aborted') {
    return new EdgeError('BAD_REQUEST', 'The request ended before its body was complete.');
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = FRAMEWORK_CODES[fastifyError.code ?? ''] ?? 'BAD_REQUEST';
    return new EdgeError(code, FRAMEWORK_MESSAGES[code] ?? 'Bad request.');
  }
  // EDGE-CLU-2: a database another process kept busy past the wait is a moment's unavailability.
  if (typeof fastifyError.code === 'string' && fastifyError.code.startsWith('SQLITE_BUSY')) {
    return new EdgeError('STORE_BUSY', 'The metadata store is busy; retry shortly.');
  }
  return new EdgeError('INTERNAL', 'Internal server error.');
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
