import { EdgeError } from '../../protocol/errors.ts';
import { ancestorsOf } from '../../protocol/paths.ts';
import {
  requireOpen,
  type BundleRecord,
  type PathSeen,
  type PublicationPlan,
  type PublishedFile,
  type RepoSeen,
  type TransactionRecord,
  type TxFile,
} from '../storage/bundles.ts';
import type { RepoRecord } from '../storage/metadata.ts';

/**
 * What may be published, decided from what the metadata store holds, with no store in sight:
 * every metadata backend gets the same rules, and offers only the reads below and one atomic
 * "apply this plan" (BundleStore.publish).
 */

export interface PublicationInput {
  txId: string;
  transaction: Omit<TransactionRecord, 'files'> | undefined;
  files: readonly TxFile[];
  /** The bundle already published under the transaction's name/version, if any. */
  published: BundleRecord | undefined;
  /** Every target repository of the files (`targetRepos`), absent ones included. */
  repos: ReadonlyMap<string, RepoRecord | undefined>;
  /** Every path of `targetPaths`, with what is there now. */
  paths: readonly PathSeen[];
  uploadsRepo: string;
  at: number;
  mimeOf: (path: string) => string;
}

export const targetRepos = (files: readonly Pick<TxFile, 'repo'>[]): string[] => [...new Set(files.map((f) => f.repo))];

/** The paths the conflict rules judge: each file's own and every folder above it. */
export function targetPaths(files: readonly Pick<TxFile, 'repo' | 'path'>[]): { repo: string; path: string }[] {
  const seen = new Map<string, { repo: string; path: string }>();
  for (const f of files) for (const path of [...ancestorsOf(f.path), f.path]) seen.set(`${f.repo}/${path}`, { repo: f.repo, path });
  return [...seen.values()];
}

/** EDP-TX-6: a bundle lands only in a plain local repository, never in the uploads repository. */
export function mayReceiveBundles(repo: RepoRecord, uploadsRepo: string): boolean {
  return repo.rclass === 'local' && repo.key !== uploadsRepo;
}

export const repoInvalid = (key: string): EdgeError =>
  new EdgeError('EDP_REPO_INVALID', `Target repository ${key} is not a plain local repository.`, { repo: key });

/**
 * EDP-TX-8: decides whether an OPEN transaction may be published, and what publishing writes.
 * Refusals come in this order, the first one only: not OPEN, files not PRESENT (EDP_INCOMPLETE),
 * name/version already published (EDP_BUNDLE_IMMUTABLE), target repositories (EDP_REPO_MISSING,
 * EDP_REPO_INVALID), path conflicts (EDP_PATH_CONFLICT).
 */
export function planPublication(input: PublicationInput): PublicationPlan {
  const { txId, transaction: tx, files } = input;
  requireOpen(txId, tx);
  const missing = files.filter((f) => f.state !== 'PRESENT').map((f) => f.repoPath);
  if (missing.length) throw new EdgeError('EDP_INCOMPLETE', `${missing.length} file(s) of the bundle have not been transferred.`, { missing });
  // EDP-TX-5: a name/version is published once.
  if (input.published) throw new EdgeError('EDP_BUNDLE_IMMUTABLE', `Bundle ${tx.name}/${tx.version} is already published with other content.`);
  const repos = targetRepos(files).map((key): RepoSeen => {
    const repo = input.repos.get(key);
    if (!repo) throw new EdgeError('EDP_REPO_MISSING', `Target repository ${key} does not exist.`, { repo: key });
    if (!mayReceiveBundles(repo, input.uploadsRepo)) throw repoInvalid(key);
    return { key, rclass: repo.rclass };
  });
  pathConflict(files, input.paths);
  const published = files.map((f): PublishedFile => {
    if (!f.checksums) throw new EdgeError('EDP_INCOMPLETE', `Checksums of ${f.repoPath} are unknown.`, { missing: [f.repoPath] });
    // EDP-PUB-2: items point at content stored under its computed SHA-256, which is the signed one.
    const properties = Object.fromEntries(f.props.map((p) => [p.key, p.values]));
    return { repo: f.repo, path: f.path, size: f.size, checksums: f.checksums, mimeType: input.mimeOf(f.path), by: tx.by, at: input.at, properties };
  });
  const bundle: BundleRecord = {
    name: tx.name,
    version: tx.version,
    payloadSha256: tx.payloadSha256,
    jws: tx.jws,
    kid: tx.kid,
    txId,
    created: bundleCreated(tx.jws),
    committed: input.at,
    totalSize: files.reduce((n, f) => n + f.size, 0),
  };
  return { txId, seen: [...input.paths], repos, bundle, files: published };
}

/**
 * EDP-TX-8: other content at a target path, a file where the bundle needs a folder, or a folder
 * where it needs a file is EDP_PATH_CONFLICT, never the item store's ITEM_TYPE_CONFLICT. The
 * bundle's own files count too (EDP-SIG-25 keeps such bundles out at start, but a transaction
 * opened before that rule may still be OPEN). The same content already at a path is no conflict.
 */
function pathConflict(files: readonly TxFile[], paths: readonly PathSeen[]): void {
  const at = new Map(paths.map((p) => [`${p.repo}/${p.path}`, p.state]));
  const ownFiles = new Set(files.map((f) => f.repoPath));
  const isFile = (repo: string, path: string) => ownFiles.has(`${repo}/${path}`) || at.get(`${repo}/${path}`)?.folder === false;
  for (const f of files) {
    const existing = at.get(`${f.repo}/${f.path}`);
    const blockedBy = ancestorsOf(f.path).find((p) => isFile(f.repo, p));
    const otherContent = existing !== undefined && (existing.folder || existing.sha256 !== f.sha256);
    if (otherContent || blockedBy !== undefined) {
      const where = `${f.repo}/${blockedBy ?? f.path}`;
      const message = ownFiles.has(where) ? `${where} is a file of this bundle and a folder of ${f.repoPath}.` : `Other content is already at ${where}.`;
      throw new EdgeError('EDP_PATH_CONFLICT', message, { repo_path: f.repoPath });
    }
  }
}

/** The payload's own `created`, read from the exact signed bytes. */
function bundleCreated(jws: string): string {
  const payload = jws.split('.')[1] ?? '';
  const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { created?: unknown };
  return typeof parsed.created === 'string' ? parsed.created : '';
}
