import type { FastifyReply, FastifyRequest } from 'fastify';

/** An index document (packument, simple page): its body on GET, only its headers on HEAD. */
export function sendDocument(request: FastifyRequest, reply: FastifyReply, contentType: string, body: string): FastifyReply {
  reply.type(contentType);
  return request.method === 'HEAD' ? reply.header('content-length', Buffer.byteLength(body)).send() : reply.send(body);
}
