import { algorithmOfHex, isHexDigest, type ChecksumAlgorithm, type Checksums } from '../../protocol/checksums.ts';
import { EdgeError } from '../../protocol/errors.ts';

export type ExpectedChecksums = Partial<Checksums>;

type HeaderValue = string | string[] | undefined;

/**
 * Reads the checksums a client vouches for (jfrog-wire.md §1.1): `X-Checksum-Sha1`,
 * `X-Checksum-Sha256`, `X-Checksum-Md5`, and `X-Checksum` typed by its length. A malformed or
 * self-contradicting header is a 400 before any byte is stored.
 */
export function expectedChecksums(headers: Record<string, HeaderValue>): ExpectedChecksums {
  const expected: ExpectedChecksums = {};
  const take = (algorithm: ChecksumAlgorithm, name: string, value: string) => {
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
  for (const [algorithm, name] of [
    ['sha1', 'x-checksum-sha1'],
    ['sha256', 'x-checksum-sha256'],
    ['md5', 'x-checksum-md5'],
  ] as const) {
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
  return (['sha256', 'sha1', 'md5'] as const).find((a) => expected[a] !== undefined && expected[a] !== actual[a]);
}
