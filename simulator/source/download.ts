import rangeParser from 'range-parser';
import { EdgeError } from '../../protocol/errors.ts';
import { nameOf } from '../../protocol/paths.ts';
import { json } from './http.ts';
import { relativeTo } from './shapes.ts';
import type { FileItem, Item } from './state.ts';

/**
 * The upstream read side: a stored file served the way Artifactory serves it (jfrog-wire.md
 * §1.3): ETag = SHA-1 (observed), checksum headers, Last-Modified, Accept-Ranges, one byte
 * range → 206 (RFC 9110 §14; JFrog does not document ranges), conditional GET/HEAD → 304.
 * HEAD is answered by Hono from this GET response with the body dropped.
 */
export function fileResponse(request: Request, item: FileItem): Response {
  const name = nameOf(item.path);
  // HTTP dates have whole seconds; comparisons below use the same rounding.
  const lastModified = new Date(Math.floor(item.modified / 1000) * 1000);
  const headers = new Headers({
    etag: item.checksums.sha1,
    'last-modified': lastModified.toUTCString(),
    'x-checksum-sha1': item.checksums.sha1,
    'x-checksum-sha256': item.checksums.sha256,
    'x-checksum-md5': item.checksums.md5,
    'accept-ranges': 'bytes',
    'x-artifactory-filename': encodeURIComponent(name),
    'content-disposition': contentDisposition(name),
    'content-type': item.mimeType,
  });
  if (notModified(request.headers, item.checksums.sha1, lastModified)) return new Response(null, { status: 304, headers });

  const range = request.headers.get('range');
  if (range !== null) {
    const parsed = rangeParser(item.size, range, { combine: true });
    if (parsed === -1) {
      const refusal = json(new EdgeError('BAD_RANGE', `The range ${range.slice(0, 64)} cannot be satisfied for ${item.size} bytes.`).toBody(), 416);
      refusal.headers.set('content-range', `bytes */${item.size}`);
      return refusal;
    }
    // A malformed (-2) or multi-part range is ignored, as RFC 9110 allows: the whole file follows.
    const only = parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1 ? parsed[0] : undefined;
    if (only) {
      headers.set('content-range', `bytes ${only.start}-${only.end}/${item.size}`);
      headers.set('content-length', String(only.end - only.start + 1));
      return new Response(item.bytes.subarray(only.start, only.end + 1), { status: 206, headers });
    }
  }
  headers.set('content-length', String(item.size));
  return new Response(item.bytes, { status: 200, headers });
}

/** `GET` on a folder: Artifactory's simple-browsing page listing the children. */
export function folderListing(repo: string, path: string, children: Item[]): Response {
  const title = `Index of ${repo}/${path}${path ? '/' : ''}`;
  const rows = children.map((child) => {
    const name = relativeTo(path, child.path);
    const suffix = child.kind === 'folder' ? '/' : '';
    return `<a href="${escapeHtml(encodeURIComponent(name) + suffix)}">${escapeHtml(name + suffix)}</a>`;
  });
  const parent = path === '' ? '' : '<a href="../">../</a>\n';
  const html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><h1>${escapeHtml(title)}</h1><pre>${parent}${rows.join('\n')}</pre></body></html>\n`;
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function notModified(headers: Headers, etag: string, lastModified: Date): boolean {
  const noneMatch = headers.get('if-none-match');
  if (noneMatch !== null) {
    return noneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'))
      .some((tag) => tag === '*' || tag === etag);
  }
  const since = headers.get('if-modified-since');
  if (since === null) return false;
  const time = Date.parse(since);
  return !Number.isNaN(time) && lastModified.getTime() <= time;
}

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
