import { algorithmOfHex, isHexDigest, type ChecksumAlgorithm, type Checksums } from '../../protocol/checksums.ts';
import { EdgeError } from '../../protocol/errors.ts';

const NAMED_HEADERS = [
  ['sha1', 'x-checksum-sha1'],
  ['sha256', 'x-checksum-sha256'],
  ['md5', 'x-checksum-md5'],
] as const;

/**
 * The checksums a deploying client vouches for (jfrog-wire.md §1.1): `X-Checksum-Sha1`,
 * `X-Checksum-Sha256`, `X-Checksum-Md5`, and `X-Checksum` typed by its length (what
 * jfrog-client-go actually sends). A malformed or self-contradicting header is a 400.
 */
export function expectedChecksums(headers: Headers): Partial<Checksums> {
  const expected: Partial<Checksums> = {};
  const take = (algorithm: ChecksumAlgorithm, name: string, value: string): void => {
    const hex = value.trim().toLowerCase();
    if (!isHexDigest(hex, algorithm)) throw new EdgeError('BAD_REQUEST', `Header ${name} is not a ${algorithm} hex digest.`);
    if (expected[algorithm] !== undefined && expected[algorithm] !== hex) {
      throw new EdgeError('BAD_REQUEST', `Headers disagree about the ${algorithm} checksum.`);
    }
    expected[algorithm] = hex;
  };
  for (const [algorithm, name] of NAMED_HEADERS) {
    const value = headers.get(name);
    if (value !== null) take(algorithm, name, value);
  }
  const typed = headers.get('x-checksum');
  if (typed !== null) {
    const algorithm = algorithmOfHex(typed.trim().toLowerCase());
    if (!algorithm) throw new EdgeError('BAD_REQUEST', 'Header x-checksum must be an MD5, SHA-1 or SHA-256 hex digest.');
    take(algorithm, 'x-checksum', typed);
  }
  return expected;
}

/** The first vouched-for checksum the content does not have. */
export function firstMismatch(expected: Partial<Checksums>, actual: Checksums): ChecksumAlgorithm | undefined {
  return (['sha256', 'sha1', 'md5'] as const).find((algorithm) => expected[algorithm] !== undefined && expected[algorithm] !== actual[algorithm]);
}
