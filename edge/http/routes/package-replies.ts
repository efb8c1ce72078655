import type { FastifyReply, FastifyRequest } from 'fastify';
import { EdgeError } from '../../../protocol/errors.ts';
import type { EdgeContext } from '../../context.ts';
import { sendFile } from '../download.ts';

/** An index document (packument, simple page): its body on GET, only its headers on HEAD. */
export function sendDocument(request: FastifyRequest, reply: FastifyReply, contentType: string, body: string): FastifyReply {
  reply.type(contentType);
  return request.method === 'HEAD' ? reply.header('content-length', Buffer.byteLength(body)).send() : reply.send(body);
}

/**
 * A file an index links to, read as `/artifactory/{repo}/{path}` reads it (the one read seam);
 * a folder, or what the caller may not read, is `absent` (EDGE-AUTH-3).
 */
export async function sendLinkedFile(
  ctx: EdgeContext,
  request: FastifyRequest,
  reply: FastifyReply,
  address: { repo: string; path: string },
  absent: () => EdgeError = () => new EdgeError('NOT_FOUND', `Could not find resource '${address.repo}/${address.path}'.`),
): Promise<FastifyReply> {
  const resolved = await ctx.reads.resolve(request.principal, address).catch((error: unknown) => {
    throw error instanceof EdgeError && error.code === 'NOT_FOUND' ? absent() : error;
  });
  const item = resolved.item;
  if (!item || item.folder) throw absent();
  return sendFile(request, reply, item, (range) => ctx.reads.open(request.principal, resolved, range));
}
