import { EdgeError } from './errors.ts';
import { hasControl, printable } from './printable.ts';
import { addMatrixParam, emptyProperties, type Properties } from './wire/properties.ts';

/**
 * Repository keys and item paths as they arrive on the wire (EDGE-IN-1..4).
 * Validation works on the raw, still-encoded URL so that an encoded separator can never be
 * decoded into a traversal after the check.
 */

/** EDGE-IN-3: Artifactory keys are short, start alphanumeric and avoid URL-significant characters. */
export const REPO_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Keys that collide with Artifactory's own URL space under /artifactory/. */
const RESERVED_KEYS = new Set(['api', 'ui', 'webapp', 'list', 'repo', 'favicon.ico', 'service']);

export const MAX_SEGMENT_BYTES = 255;
export const MAX_PATH_CHARS = 1024;

export function validateRepoKey(key: string): string {
  // EDGE-IN-3
  if (!REPO_KEY_PATTERN.test(key)) {
    throw new EdgeError(
      'BAD_REPO_KEY',
      `Invalid repository key '${printable(key)}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
  if (RESERVED_KEYS.has(key.toLowerCase())) {
    throw new EdgeError('BAD_REPO_KEY', `Invalid repository key '${key}': the name is reserved.`);
  }
  return key;
}

export interface ItemAddress {
  repo: string;
  /** Clean relative path without leading or trailing slash; '' is the repository root. */
  path: string;
  /** The request named a folder (trailing slash). */
  folder: boolean;
  /** Matrix parameters (`;k=v`) found anywhere in the path, in order. */
  matrix: Properties;
}

/**
 * Parses `/{repo}/{path}` (raw, percent-encoded, without query) into a validated address.
 * Throws BAD_PATH / BAD_REPO_KEY with a message naming the problem.
 */
export function parseItemUrl(rawPath: string): ItemAddress {
  if (!rawPath.startsWith('/')) throw badPath('the path must start with /');
  const rawSegments = rawPath.slice(1).split('/');
  const folder = rawSegments.length > 1 && rawSegments[rawSegments.length - 1] === '';
  if (folder) rawSegments.pop();
  const matrix = emptyProperties();
  const names = rawSegments.map((raw, index) => {
    const [rawName = '', ...params] = raw.split(';');
    for (const param of params) addMatrixParam(matrix, param);
    return decodeSegment(rawName, index === 0);
  });
  const [repo = '', ...rest] = names;
  validateRepoKey(repo);
  const path = rest.join('/');
  checkPathLength(path);
  return { repo, path, folder, matrix };
}

/**
 * The item a raw request path addresses after `prefix` (`/artifactory`, `/artifactory/api/storage`,
 * ...), validated before anything is decoded (EDGE-IN-1, EDGE-IN-2).
 */
export function parseItemUrlAfter(rawPath: string, prefix: string): ItemAddress {
  const rest = rawPath.slice(prefix.length);
  if (!rawPath.startsWith(prefix) || rest === '' || rest === '/') throw badPath('a repository key is required');
  return parseItemUrl(rest);
}

/** Validates an already-decoded relative path (from JSON bodies, query strings or bundles). */
export function validateRelativePath(path: string, what = 'path'): string {
  if (path === '') return path;
  if (path.startsWith('/')) throw badPath(`${what} must be relative`);
  for (const segment of path.split('/')) checkDecodedSegment(segment);
  checkPathLength(path);
  return path;
}

/** Joins a parent folder path and a child name ('' is the root). */
export function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Every ancestor folder of `path`, outermost first, without the root. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

function decodeSegment(raw: string, isRepo: boolean): string {
  // EDGE-IN-2: an encoded separator or dot is how traversal hides from a decoded-path check.
  const encoded = /%(2e|2f|5c|00)/i.exec(raw);
  if (encoded) throw badPath(`encoded '${encoded[0]}' is not allowed in a path segment`);
  if (raw === '') throw badPath(isRepo ? 'the repository key is missing' : 'empty path segment');
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw badPath('malformed percent-encoding');
  }
  if (!isRepo) checkDecodedSegment(decoded);
  else if (hasControl(decoded)) throw badPath('control characters are not allowed');
  return decoded;
}

function checkDecodedSegment(segment: string): void {
  // EDGE-IN-1: no traversal, no ambiguous or hostile names.
  if (segment === '') throw badPath('empty path segment');
  if (segment === '.' || segment === '..') throw badPath(`'${segment}' segments are not allowed`);
  if (segment.includes('\\')) throw badPath('backslashes are not allowed');
  if (hasControl(segment)) throw badPath('NUL and control characters are not allowed');
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
    throw badPath(`a name is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
}

function checkPathLength(path: string): void {
  // EDGE-IN-4
  if (path.length > MAX_PATH_CHARS) throw badPath(`the path is longer than ${MAX_PATH_CHARS} characters`);
}

function badPath(problem: string): EdgeError {
  return new EdgeError('BAD_PATH', `Invalid path: ${problem}.`);
}
