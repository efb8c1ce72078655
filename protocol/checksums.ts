import { createHash, type Hash } from 'node:crypto';

export interface Checksums {
  sha256: string;
  sha1: string;
  md5: string;
}

export type ChecksumAlgorithm = keyof Checksums;

const HEX = /^[0-9a-f]+$/;
const LENGTH_TO_ALGORITHM: Record<number, ChecksumAlgorithm> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** jfrog-compat.md §1.1: `X-Checksum` carries any of the three, typed by its length. */
export function algorithmOfHex(hex: string): ChecksumAlgorithm | undefined {
  return HEX.test(hex) ? LENGTH_TO_ALGORITHM[hex.length] : undefined;
}

export function isHexDigest(hex: string, algorithm: ChecksumAlgorithm): boolean {
  return HEX.test(hex) && LENGTH_TO_ALGORITHM[hex.length] === algorithm;
}

/**
 * MD5, SHA-1 and SHA-256 of bytes fed to it in order: one pass over a stream computes all
 * three while the same bytes are being stored.
 */
export class MultiHash {
  readonly #sha256: Hash = createHash('sha256');
  readonly #sha1: Hash = createHash('sha1');
  readonly #md5: Hash = createHash('md5');
  #size = 0;

  update(chunk: Uint8Array): void {
    this.#size += chunk.length;
    this.#sha256.update(chunk);
    this.#sha1.update(chunk);
    this.#md5.update(chunk);
  }

  get size(): number {
    return this.#size;
  }

  digests(): Checksums {
    return { sha256: this.#sha256.digest('hex'), sha1: this.#sha1.digest('hex'), md5: this.#md5.digest('hex') };
  }
}

export function checksumsOf(bytes: Uint8Array | string): Checksums {
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sha1: createHash('sha1').update(bytes).digest('hex'),
    md5: createHash('md5').update(bytes).digest('hex'),
  };
}
