/**
 * A bundle's `repo_path` becomes a storage path on the Edge, so it must name exactly one file
 * inside one repository however it is later joined, decoded or normalised.
 */

export const REPO_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MAX_REPO_PATH_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

const CONTROL_CHARACTER = /\p{Cc}/u;
// With the u flag a surrogate only matches when it is unpaired.
const LONE_SURROGATE = /\p{Cs}/u;
// A decoding layer (HTTP router, proxy, filesystem tool) could turn these into ".", a
// separator or NUL; the Edge refuses the same in URLs (EDGE-IN-2).
const ENCODED_SEPARATOR = /%(2e|2f|5c|00)/i;

const utf8 = new TextEncoder();

/** Describes the first reason `path` is not a clean `<repo>/<path>`, or undefined if it is. */
export function repoPathProblem(path: string): string | undefined {
  // EDP-SIG-14: a clean relative path.
  if (path === '') return 'is empty';
  const control = CONTROL_CHARACTER.exec(path);
  if (control) return `contains the control character ${codePoint(control[0])}`;
  if (LONE_SURROGATE.test(path)) return 'is not well-formed Unicode (lone surrogate)';
  if (path.includes('\\')) return 'contains a backslash';
  const encoded = ENCODED_SEPARATOR.exec(path);
  if (encoded) return `contains the percent-encoded "${encoded[0]}"`;
  if (path.startsWith('/')) return 'starts with "/" (must be relative)';
  // EDP-SIG-16: bounded so every filesystem and URL layer can hold it.
  const bytes = utf8.encode(path).length;
  if (bytes > MAX_REPO_PATH_BYTES) {
    return `is ${bytes} bytes long, over the limit of ${MAX_REPO_PATH_BYTES}`;
  }

  const [repoKey = '', ...rest] = path.split('/');
  // EDP-SIG-15: the first segment is a repository key.
  if (!REPO_KEY_PATTERN.test(repoKey)) {
    return `has the repository key "${repoKey}", which does not match ${REPO_KEY_PATTERN}`;
  }
  if (rest.length === 0) return 'has no path after the repository key';
  for (const [index, segment] of rest.entries()) {
    const position = `segment ${index + 2}`;
    if (segment === '') return `has an empty ${position}`;
    if (segment === '.' || segment === '..') return `has a "${segment}" ${position}`;
    const segmentBytes = utf8.encode(segment).length;
    if (segmentBytes > MAX_SEGMENT_BYTES) {
      return `has a ${position} of ${segmentBytes} bytes, over the limit of ${MAX_SEGMENT_BYTES}`;
    }
  }
  return undefined;
}

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
