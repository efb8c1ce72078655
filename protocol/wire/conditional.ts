import type { HeaderRecord } from './headers.ts';

/**
 * Conditional requests on a stored file (RFC 9110 §13), the way Artifactory's downloads use
 * them: the ETag is the content's SHA-1 (observed, jfrog-compat.md §1.3), sent without quotes;
 * clients may quote it. `lastModified` is in ms and has whole seconds, as HTTP dates do.
 */
export interface Validators {
  etag: string;
  lastModified: number;
}

/**
 * RFC 9110 §13.2.2 steps 3 and 4 for GET and HEAD: If-None-Match decides when present and
 * If-Modified-Since is then ignored; a date that does not parse is ignored. True means 304.
 */
export function notModified(headers: HeaderRecord, validators: Validators): boolean {
  const noneMatch = headers['if-none-match'];
  if (typeof noneMatch === 'string') return etagListMatches(noneMatch, validators.etag);
  const since = headers['if-modified-since'];
  if (typeof since !== 'string') return false;
  const time = Date.parse(since);
  return !Number.isNaN(time) && validators.lastModified <= time;
}

/**
 * RFC 9110 §13.1.5 (step 5 of §13.2.2): a Range applies only while If-Range, when present,
 * still names the current version: the ETag, or exactly the Last-Modified date. Otherwise the
 * whole file follows.
 */
export function ifRangeHolds(headers: HeaderRecord, validators: Validators): boolean {
  const ifRange = headers['if-range'];
  if (typeof ifRange !== 'string') return ifRange === undefined;
  if (ifRange.includes('"') || /^[0-9a-f]{40}$/.test(ifRange)) return etagListMatches(ifRange, validators.etag);
  const time = Date.parse(ifRange);
  return !Number.isNaN(time) && time === validators.lastModified;
}

/** A comma-separated list of entity tags (quoted or not, weak or not), or `*`, naming `etag`. */
export function etagListMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .some((tag) => tag === '*' || tag === etag);
}
