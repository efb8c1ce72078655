import type { FastifyReply, FastifyRequest } from 'fastify';
import rangeParser from 'range-parser';
import { EdgeError } from '../../protocol/errors.ts';
import { nameOf } from '../../protocol/paths.ts';
import type { FileStore } from '../storage/filestore.ts';
import type { ItemRecord } from '../storage/metadata.ts';

/**
 * EDGE-ART-5: serves a stored file the way Artifactory does (jfrog-wire.md §1.3): ETag = SHA-1, checksum
 * headers, Last-Modified, a single byte range (RFC 9110 §14), conditional GET/HEAD.
 */
export function sendFile(request: FastifyRequest, reply: FastifyReply, item: ItemRecord, files: FileStore): FastifyReply {
  const checksums = item.checksums;
  if (!checksums) throw new EdgeError('NOT_A_FILE', 'Not a file.');
  const name = nameOf(item.path);
  const lastModified = new Date(Math.floor(item.modified / 1000) * 1000);
  reply
    .header('etag', checksums.sha1)
    .header('last-modified', lastModified.toUTCString())
    .header('x-checksum-sha1', checksums.sha1)
    .header('x-checksum-sha256', checksums.sha256)
    .header('x-checksum-md5', checksums.md5)
    .header('accept-ranges', 'bytes')
    .header('x-artifactory-filename', encodeURIComponent(name))
    .header('content-disposition', contentDisposition(name))
    .type(item.mimeType ?? 'application/octet-stream');

  if (notModified(request, checksums.sha1, lastModified)) {
    return reply.status(304).send();
  }

  const range = request.headers.range;
  // A Range with an If-Range that does not match the current version gets the whole file.
  const rangeApplies = range !== undefined && ifRangeHolds(request, checksums.sha1, lastModified);
  if (rangeApplies && range) {
    const parsed = rangeParser(item.size, range, { combine: true });
    if (parsed === -1) {
      return reply.status(416).header('content-range', `bytes */${item.size}`).type('application/json').send(
        new EdgeError('BAD_RANGE', `The range ${range.slice(0, 64)} cannot be satisfied for ${item.size} bytes.`).toBody(),
      );
    }
    // Malformed ranges (-2) and multi-part ranges are ignored, as RFC 9110 allows: the whole file follows.
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) {
      const { start, end } = parsed[0] as { start: number; end: number };
      reply.status(206).header('content-range', `bytes ${start}-${end}/${item.size}`).header('content-length', end - start + 1);
      return request.method === 'HEAD' ? reply.send() : reply.send(files.read(checksums.sha256, { start, end }));
    }
  }
  reply.status(200).header('content-length', item.size);
  if (request.method === 'HEAD' || item.size === 0) return reply.send(request.method === 'HEAD' ? undefined : '');
  return reply.send(files.read(checksums.sha256));
}

function notModified(request: FastifyRequest, etag: string, lastModified: Date): boolean {
  const noneMatch = request.headers['if-none-match'];
  if (typeof noneMatch === 'string') return etagListMatches(noneMatch, etag);
  const since = request.headers['if-modified-since'];
  if (since === undefined) return false;
  const time = Date.parse(since);
  return !Number.isNaN(time) && lastModified.getTime() <= time;
}

function ifRangeHolds(request: FastifyRequest, etag: string, lastModified: Date): boolean {
  const ifRange = request.headers['if-range'];
  if (typeof ifRange !== 'string') return ifRange === undefined;
  if (ifRange.includes('"') || /^[0-9a-f]{40}$/.test(ifRange)) return etagListMatches(ifRange, etag);
  const time = Date.parse(ifRange);
  return !Number.isNaN(time) && time === lastModified.getTime();
}

function etagListMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'))
    .some((tag) => tag === '*' || tag === etag);
}

export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
