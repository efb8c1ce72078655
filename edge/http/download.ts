import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { EdgeError } from '../../protocol/errors.ts';
import { evaluateDownload } from '../../protocol/wire/download.ts';
import type { ByteRange } from '../storage/content.ts';
import type { ItemRecord } from '../storage/metadata.ts';

/**
 * EDGE-ART-5: a stored file, answered as `evaluateDownload` decides (200, 206, 304 or 416);
 * `open` gives its bytes (RepositoryReads.open), asked only when a body is sent.
 */
export async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  item: ItemRecord,
  open: (range?: ByteRange) => Promise<Readable>,
): Promise<FastifyReply> {
  const checksums = item.checksums;
  if (!checksums) throw new EdgeError('NOT_A_FILE', 'Not a file.');
  const download = evaluateDownload(request.headers, { ...item, checksums });
  reply.status(download.status).headers(download.headers);
  // Through the error handler, so the body names the request (EDGE-OPS-3); Content-Range stays.
  if (download.status === 416) throw download.error;
  if (download.status === 304 || request.method === 'HEAD') return reply.send();
  if (download.status === 206) return reply.send(await open(download.range));
  return reply.send(item.size === 0 ? '' : await open());
}
