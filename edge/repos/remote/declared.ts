import { EdgeError } from '../../../protocol/errors.ts';
import { expectedChecksums, firstMismatch, type ExpectedChecksums } from '../../../protocol/wire/checksum-headers.ts';
import type { Checksums } from '../../../protocol/checksums.ts';
import { UpstreamFailure, type UpstreamHead } from './upstream.ts';

/** What an upstream answer vouches for about a file: its checksums and length (EDGE-SR-5). */
export interface Declared {
  checksums: ExpectedChecksums;
  size: number | undefined;
  /** The upstream's Last-Modified, in ms, when it sent one. */
  modified: number | undefined;
}

/** EDGE-SR-5: the checksums and length an upstream answer declares; malformed ones are a failed answer. */
export function declaredBy(head: UpstreamHead): Declared {
  let checksums: ExpectedChecksums;
  try {
    checksums = expectedChecksums(head.headers);
  } catch (error) {
    throw new UpstreamFailure('answer', error instanceof EdgeError ? error.message : 'unreadable checksum headers');
  }
  const length = head.headers['content-length'];
  const size = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  const modified = head.headers['last-modified'] ? Date.parse(head.headers['last-modified']) : Number.NaN;
  return { checksums, size, modified: Number.isNaN(modified) ? undefined : modified };
}

/**
 * EDGE-SR-5: decision 0017: content is cached only when the upstream vouched for it with a
 * SHA-256 or a SHA-1; anything weaker could not tell other bytes from the right ones.
 */
export function vouchesStrongly(declared: Declared): boolean {
  return declared.checksums.sha256 !== undefined || declared.checksums.sha1 !== undefined;
}

/** EDGE-SR-5: the first way the bytes differ from any of the declarations; undefined when none. */
export function verificationFailure(declarations: readonly Declared[], actual: Checksums, size: number): string | undefined {
  for (const declared of declarations) {
    if (declared.size !== undefined && declared.size !== size) return `${size} bytes arrived, ${declared.size} were declared`;
    const algorithm = firstMismatch(declared.checksums, actual);
    if (algorithm) return `the ${algorithm} of the bytes is ${actual[algorithm]}, ${declared.checksums[algorithm]} was declared`;
  }
  return undefined;
}

/**
 * An answer to a HEAD or GET of a path that is a folder on the upstream: Artifactory answers
 * folders with its HTML index, files with checksum headers and their name.
 */
export function looksLikeFolder(head: UpstreamHead): boolean {
  const h = head.headers;
  const fileHeaders = ['x-checksum-sha1', 'x-checksum-sha256', 'x-checksum-md5', 'x-artifactory-filename'].some((name) => h[name] !== undefined);
  return !fileHeaders && (h['content-type'] ?? '').startsWith('text/html');
}
