import { createHash } from 'node:crypto';
import { fixtureSecretKey } from '../fixtures/keys/index.ts';
import { readSigningKey, signBundle } from '../protocol/bundle/index.ts';
import { EdpClient } from '../protocol/clients/index.ts';
import { httpFetch } from './http-fetch.ts';
import { payload } from './payload.ts';

export interface LargeFileResult {
  /** Start → last byte → commit answered. */
  seconds: number;
  mibPerSec: number;
  /**
   * SHA-256 alone on the same bytes, in this process: the floor of what the Edge computes;
   * undefined when the caller gave the SHA-256.
   */
  sha256MibPerSec: number | undefined;
}

/**
 * One signed bundle of a single large file through EDP (issue #4), in the repository
 * `prepareManyFiles` made: the ingest rate of large content, where streaming, hashing and the
 * binary store are the cost. `seed` picks the bytes (bench/payload.ts), so two Edges can be sent the same;
 * `sha256`, when the caller has hashed them already, spares the pass that computes it.
 */
export async function largeFileBundle(
  url: string,
  credentials: { user: string; password: string },
  options: { name: string; bytes: number; seed: number; repo: string; sha256?: string },
): Promise<LargeFileResult> {
  const MiB = 1024 * 1024;
  let t0 = performance.now();
  let sha = options.sha256;
  let hashSeconds: number | undefined;
  if (sha === undefined) {
    const hash = createHash('sha256');
    for await (const chunk of payload(options.bytes, options.seed)) hash.update(chunk);
    sha = hash.digest('hex');
    hashSeconds = (performance.now() - t0) / 1000;
  }

  const edp = new EdpClient({ url, credentials, fetch: httpFetch });
  const repoPath = `${options.repo}/${options.name}/big.bin`;
  const bundle = await signBundle(
    {
      name: options.name,
      version: '1.0',
      created: new Date().toISOString(),
      type: 'release_bundle_v1',
      artifacts: [{ repo_path: repoPath, checksum: sha, size: options.bytes }],
    },
    await readSigningKey(fixtureSecretKey('bundle-signing')),
  );
  t0 = performance.now();
  const id = (await edp.start({ bundle })).transaction.id;
  await edp.uploadFile(id, repoPath, payload(options.bytes, options.seed), { sha256: sha, size: options.bytes });
  await edp.commit(id);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, mibPerSec: options.bytes / MiB / seconds, sha256MibPerSec: hashSeconds === undefined ? undefined : options.bytes / MiB / hashSeconds };
}
