import { createHash, randomBytes } from 'node:crypto';
import { fixturePublicKey, fixtureSecretKey } from '../fixtures/keys/index.ts';
import { readSigningKey, signBundle, type BundlePayload } from '../protocol/bundle/index.ts';
import { ArtifactoryClient, EdpClient } from '../protocol/clients/index.ts';
import { httpFetch } from './http-fetch.ts';

export interface ManyFilesResult {
  files: number;
  /** Start → every file uploaded → commit answered. */
  seconds: number;
  filesPerSec: number;
  commitMs: number;
}

export interface ManyFilesOptions {
  /** Bundle name, one per round (a name/version is published once). */
  name: string;
  files: number;
  fileKib: number;
  /** Uploads in flight at once, as Distribution sends them. */
  concurrency: number;
  /** The repository the files go to (created by `prepareManyFiles`). */
  repo: string;
}

/** Trusts the fixture signing key and creates the target repository, once per Edge. */
export async function prepareManyFiles(url: string, credentials: { user: string; password: string }, repo: string): Promise<void> {
  await new EdpClient({ url, credentials, fetch: httpFetch }).trustKey('bench', fixturePublicKey('bundle-signing'));
  await new ArtifactoryClient({ url, credentials }).createRepository(repo, { rclass: 'local' });
}

/**
 * EDGE-DUR-4 (issue #13): one signed bundle of many small files through EDP, `concurrency`
 * uploads at a time, then its commit: the ingest rate of small files, where per-file
 * durability (fsyncs and metadata commits) is the cost.
 */
export async function manyFilesBundle(url: string, credentials: { user: string; password: string }, options: ManyFilesOptions): Promise<ManyFilesResult> {
  const key = await readSigningKey(fixtureSecretKey('bundle-signing'));
  const edp = new EdpClient({ url, credentials, fetch: httpFetch });
  const small = Array.from({ length: options.files }, (_, i) => {
    const content = Buffer.concat([Buffer.from(`${options.name} file ${i} `), randomBytes(options.fileKib * 1024)]);
    return { repoPath: `${options.repo}/${options.name}/${String(i).padStart(5, '0')}.bin`, content, sha: createHash('sha256').update(content).digest('hex') };
  });
  const payload: BundlePayload = {
    name: options.name,
    version: '1.0',
    created: new Date().toISOString(),
    type: 'release_bundle_v1',
    artifacts: small.map((f) => ({ repo_path: f.repoPath, checksum: f.sha, size: f.content.length })),
  };
  const jws = await signBundle(payload, key);
  const t0 = performance.now();
  const id = (await edp.start({ bundle: jws })).transaction.id;
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < small.length) {
        const f = small[next++] as (typeof small)[number];
        await edp.uploadFile(id, f.repoPath, f.content, { sha256: f.sha });
      }
    }),
  );
  const uploadedAt = performance.now();
  await edp.commit(id);
  const seconds = (performance.now() - t0) / 1000;
  return { files: options.files, seconds, filesPerSec: options.files / seconds, commitMs: performance.now() - uploadedAt };
}
