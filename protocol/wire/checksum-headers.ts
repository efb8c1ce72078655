import { algorithmOfHex, isHexDigest, type ChecksumAlgorithm, type Checksums } from '../checksums.ts';
import { EdgeError } from '../errors.ts';
import type { HeaderRecord } from './headers.ts';

/** The checksums a client vouches for; any subset of the three. */
export type ExpectedChecksums = Partial<Checksums>;

const NAMED_HEADERS = [
  ['sha1', 'x-checksum-sha1'],
  ['sha256', 'x-checksum-sha256'],
  ['md5', 'x-checksum-md5'],
] as const;

/** Strongest first: the order in which expected checksums are compared and looked up. */
const STRENGTH = ['sha256', 'sha1', 'md5'] as const;

/**
 * Reads the checksums a deploying client vouches for (jfrog-compat.md §1.1): `X-Checksum-Sha1`,
 * `X-Checksum-Sha256`, `X-Checksum-Md5`, and `X-Checksum` typed by its length (what
 * jfrog-client-go actually sends). A malformed, repeated or self-contradicting header is a 400
 * before any byte is stored.
 */
export function expectedChecksums(headers: HeaderRecord): ExpectedChecksums {
  const expected: ExpectedChecksums = {};
  const take = (algorithm: ChecksumAlgorithm, name: string, value: string): void => {
    const hex = value.trim().toLowerCase();
    if (!isHexDigest(hex, algorithm)) throw new EdgeError('BAD_REQUEST', `Header ${name} is not a ${algorithm} hex digest.`);
    if (expected[algorithm] !== undefined && expected[algorithm] !== hex) {
      throw new EdgeError('BAD_REQUEST', `Headers disagree about the ${algorithm} checksum.`);
    }
    expected[algorithm] = hex;
  };
  const single = (name: string): string | undefined => {
    const value = headers[name];
    if (Array.isArray(value)) throw new EdgeError('BAD_REQUEST', `Header ${name} was sent more than once.`);
    return value;
  };
  for (const [algorithm, name] of NAMED_HEADERS) {
    const value = single(name);
    if (value !== undefined) take(algorithm, name, value);
  }
  const typed = single('x-checksum');
  if (typed !== undefined) {
    const algorithm = algorithmOfHex(typed.trim().toLowerCase());
    if (!algorithm) throw new EdgeError('BAD_REQUEST', 'Header x-checksum must be an MD5, SHA-1 or SHA-256 hex digest.');
    take(algorithm, 'x-checksum', typed);
  }
  return expected;
}

/** The first expected checksum that the actual content does not have, if any. */
export function firstMismatch(expected: ExpectedChecksums, actual: Checksums): ChecksumAlgorithm | undefined {
  return STRENGTH.find((algorithm) => expected[algorithm] !== undefined && expected[algorithm] !== actual[algorithm]);
}

/** EDGE-ART-1: what arrived must be what the client vouched for; the refusal names both values. */
export function checksumMismatch(what: string, expected: ExpectedChecksums, actual: Checksums): EdgeError | undefined {
  const algorithm = firstMismatch(expected, actual);
  if (algorithm === undefined) return undefined;
  return new EdgeError(
    'CHECKSUM_MISMATCH',
    `Checksum error for '${what}': received ${algorithm} '${expected[algorithm]}' but actually was '${actual[algorithm]}'.`,
  );
}

/** §1.2: the checksum a deploy by checksum looks content up by: the strongest one given. */
export function checksumDeployKey(expected: ExpectedChecksums): { algorithm: ChecksumAlgorithm; hex: string } {
  const algorithm = STRENGTH.find((a) => expected[a] !== undefined);
  if (algorithm === undefined) {
    throw new EdgeError('BAD_REQUEST', 'Deploy by checksum needs X-Checksum-Sha256, X-Checksum-Sha1, X-Checksum-Md5 or X-Checksum.');
  }
  return { algorithm, hex: expected[algorithm] as string };
}

/** §1.2: `X-Checksum-Deploy: true` asks for a deploy by checksum. */
export function isChecksumDeploy(headers: HeaderRecord): boolean {
  return String(headers['x-checksum-deploy']).trim().toLowerCase() === 'true';
}

/** The request headers of a deploy that vouches for `checksums` (what jfrog-client-go sends, plus SHA-256 by name). */
export function checksumRequestHeaders(checksums: ExpectedChecksums): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [algorithm, name] of NAMED_HEADERS) {
    const hex = checksums[algorithm];
    if (hex !== undefined) headers[name] = hex;
  }
  return headers;
}

/** §1.3: the checksum headers of a download. */
export function checksumResponseHeaders(checksums: Checksums): Record<string, string> {
  return { 'x-checksum-sha1': checksums.sha1, 'x-checksum-sha256': checksums.sha256, 'x-checksum-md5': checksums.md5 };
}

const CHECKSUM_SUFFIXES = { '.sha256': 'sha256', '.sha1': 'sha1', '.md5': 'md5' } as const;

/**
 * §1.3: `<file>.sha256` (and `.sha1`, `.md5`) answer the file's checksum as text when no item
 * of that name is stored. The file such a path would describe, and which checksum it asks for.
 */
export function checksumFileTarget(path: string): { path: string; algorithm: ChecksumAlgorithm } | undefined {
  const suffix = (Object.keys(CHECKSUM_SUFFIXES) as (keyof typeof CHECKSUM_SUFFIXES)[]).find((s) => path.endsWith(s));
  return suffix === undefined ? undefined : { path: path.slice(0, -suffix.length), algorithm: CHECKSUM_SUFFIXES[suffix] };
}
