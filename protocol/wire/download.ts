import type { Checksums } from '../checksums.ts';
import { EdgeError } from '../errors.ts';
import { nameOf } from '../paths.ts';
import { checksumResponseHeaders } from './checksum-headers.ts';
import { ifRangeHolds, notModified, type Validators } from './conditional.ts';
import type { HeaderRecord } from './headers.ts';
import { evaluateRange } from './range.ts';

/** What a download needs to know of a stored file; `modified` in ms since the epoch. */
export interface StoredFile {
  path: string;
  size: number;
  checksums: Checksums;
  mimeType: string | null;
  modified: number;
}

/** The answer to a GET or HEAD of a file; `headers` are all the headers to send with it. */
export type Download =
  | { status: 200; headers: Record<string, string> }
  | { status: 206; headers: Record<string, string>; range: { start: number; end: number } }
  | { status: 304; headers: Record<string, string> }
  | { status: 416; headers: Record<string, string>; error: EdgeError };

/**
 * EDGE-ART-5: a stored file served the way Artifactory serves it (jfrog-compat.md §1.3): ETag =
 * SHA-1, checksum headers, Last-Modified, Accept-Ranges, the file name; conditional GET/HEAD
 * first (304), then a single byte range (206, or 416 when it cannot be satisfied) unless
 * If-Range names another version.
 */
export function evaluateDownload(request: HeaderRecord, file: StoredFile): Download {
  const validators = validatorsOf(file);
  const headers = downloadHeaders(file, validators);
  if (notModified(request, validators)) return { status: 304, headers };
  const range = request.range;
  if (typeof range === 'string' && ifRangeHolds(request, validators)) {
    const decision = evaluateRange(range, file.size);
    if (decision.kind === 'unsatisfiable') {
      return {
        status: 416,
        headers: { ...headers, 'content-type': 'application/json', 'content-range': `bytes */${file.size}` },
        error: new EdgeError('BAD_RANGE', `The range ${range.slice(0, 64)} cannot be satisfied for ${file.size} bytes.`),
      };
    }
    if (decision.kind === 'part') {
      const { start, end } = decision;
      return {
        status: 206,
        headers: { ...headers, 'content-range': `bytes ${start}-${end}/${file.size}`, 'content-length': String(end - start + 1) },
        range: { start, end },
      };
    }
  }
  return { status: 200, headers: { ...headers, 'content-length': String(file.size) } };
}

/** HTTP dates have whole seconds; comparisons use the same rounding. */
function validatorsOf(file: StoredFile): Validators {
  return { etag: file.checksums.sha1, lastModified: Math.floor(file.modified / 1000) * 1000 };
}

/** EDGE-ART-5, EDGE-ART-7: what every download and HEAD carries. */
function downloadHeaders(file: StoredFile, validators: Validators): Record<string, string> {
  const name = nameOf(file.path);
  return {
    etag: validators.etag,
    'last-modified': new Date(validators.lastModified).toUTCString(),
    ...checksumResponseHeaders(file.checksums),
    'accept-ranges': 'bytes',
    'x-artifactory-filename': encodeURIComponent(name),
    'content-disposition': contentDisposition(name),
    'content-type': file.mimeType ?? 'application/octet-stream',
  };
}

/** RFC 6266: an ASCII fallback name and the exact one in UTF-8. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
