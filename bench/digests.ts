import { createHash } from 'node:crypto';
import { payload } from './payload.ts';

const MiB = 1024 * 1024;

/**
 * MD5, SHA-1 and SHA-256 in one pass over `payload(bytes, seed)`: what the Edge computes while
 * ingesting, so the limit an upload or an EDP ingest is judged against (issue #13).
 */
export async function digestPass(bytes: number, seed: number): Promise<{ mibPerSec: number; sha256: string }> {
  const t0 = performance.now();
  const hashes = [createHash('md5'), createHash('sha1'), createHash('sha256')] as const;
  for await (const chunk of payload(bytes, seed)) for (const hash of hashes) hash.update(chunk);
  const sha256 = hashes[2].digest('hex');
  return { mibPerSec: bytes / MiB / ((performance.now() - t0) / 1000), sha256 };
}
