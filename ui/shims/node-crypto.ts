import { md5, sha1 } from '@noble/hashes/legacy';
import { sha256, sha512 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/**
 * `createHash` of node:crypto for the report renderer in the browser (ui/vite.config.ts aliases
 * it): synchronous, as the renderer computes its policy's hashes while its module loads.
 */

const ALGORITHMS = { md5, sha1, sha256, sha512 } as const;

export function createHash(algorithm: keyof typeof ALGORITHMS) {
  const running = ALGORITHMS[algorithm].create();
  const hash = {
    update(data: string | Uint8Array) {
      running.update(typeof data === 'string' ? new TextEncoder().encode(data) : data);
      return hash;
    },
    digest(encoding?: 'hex' | 'base64') {
      const bytes = running.digest();
      if (encoding === 'hex') return bytesToHex(bytes);
      if (encoding === 'base64') return btoa(String.fromCharCode(...bytes));
      return bytes;
    },
  };
  return hash;
}
