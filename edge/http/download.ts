import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EdgeError } from '../../protocol/errors.ts';
import { evaluateDownload } from '../../protocol/wire/download.ts';
import type { RemoteView } from '../repos/artifacts.ts';
import type { ByteRange } from '../storage/content.ts';
import type { ItemRecord } from '../storage/metadata.ts';

/** Origin header of a download through a smart remote (EDGE-SR-12). */
export const ORIGIN_REMOTE_PATH_HEADER = 'x-artifactory-origin-remote-path';

/**
 * EDGE-ART-5: a file, answered as `evaluateDownload` decides (200, 206, 304 or 416); the body
 * comes from `open` only when one is sent. A smart remote's file not cached yet (EDGE-SR-4) is
 * answered with what the upstream declared: headers it did not send are left out, and so is
 * the length when it declared none.
 */
export async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  item: ItemRecord,
  open: (range?: ByteRange) => Promise<Readable>,
  remote?: RemoteView,
): Promise<FastifyReply> {
  const checksums = item.checksums;
  if (!checksums) throw new EdgeError('NOT_A_FILE', 'Not a file.');
  const sizeKnown = item.size >= 0;
  // A range needs the size; an uncached file of unknown size is answered whole.
  const headers = sizeKnown ? request.headers : { ...request.headers, range: undefined };
  const download = evaluateDownload(headers, { ...item, size: Math.max(item.size, 0), checksums });
  const sent = Object.fromEntries(Object.entries(download.headers).filter(([, value]) => value !== ''));
  if (!sizeKnown) delete sent['content-length'];
  if (remote) sent[ORIGIN_REMOTE_PATH_HEADER] = encodeURI(remote.originPath);
  reply.status(download.status).headers(sent);
  // Through the error handler, so the body names the request (EDGE-OPS-3); Content-Range stays.
  if (download.status === 416) throw download.error;
  if (download.status === 304 || request.method === 'HEAD') return reply.send();
  if (download.status === 206) return reply.send(await open(download.range));
  return reply.send(item.size === 0 ? '' : await open());
}
