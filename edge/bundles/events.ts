import type { EdgeError } from '../../protocol/errors.ts';
import type { Log } from '../log.ts';
import type { BundleRecord, TransactionRecord, TrustedKeyRecord, TxFile } from '../storage/bundles.ts';

/** The steps of the Edge Distribution Protocol a refusal can end. */
export type DistributionStep = 'start' | 'upload' | 'commit';

/**
 * EDGE-OPS-5: what an operator follows of distribution without reading the database: a
 * transaction opened, each file verified, a bundle committed or refused (with its code), a
 * signing key trusted.
 */
export interface DistributionEvents {
  opened(tx: TransactionRecord): void;
  verified(txId: string, file: TxFile): void;
  committed(bundle: BundleRecord): void;
  refused(step: DistributionStep, error: EdgeError, where: { txId?: string; repoPath?: string }): void;
  keyTrusted(key: TrustedKeyRecord): void;
  keyRemoved(kid: string): void;
}

/** Events as `info` log lines; `log` is asked at each event, so a request's logger (and id) can be current. */
export function loggedDistributionEvents(log: () => Log): DistributionEvents {
  return {
    opened: (tx) =>
      log().info({ txId: tx.id, bundle: `${tx.name}/${tx.version}`, files: tx.files.length, kid: tx.kid, by: tx.by }, 'distribution transaction opened'),
    verified: (txId, file) => log().info({ txId, repoPath: file.repoPath, sha256: file.sha256, size: file.size }, 'distribution file verified'),
    committed: (bundle) =>
      log().info({ txId: bundle.txId, bundle: `${bundle.name}/${bundle.version}`, totalSize: bundle.totalSize, kid: bundle.kid }, 'release bundle committed'),
    refused: (step, error, where) => log().info({ step, code: error.code, reason: error.message, ...where }, 'distribution refused'),
    keyTrusted: (key) => log().info({ kid: key.kid, alias: key.alias, fingerprint: key.fingerprint }, 'bundle signing key trusted'),
    keyRemoved: (kid) => log().info({ kid }, 'bundle signing key no longer trusted'),
  };
}

export const NO_DISTRIBUTION_EVENTS: DistributionEvents = {
  opened: () => undefined,
  verified: () => undefined,
  committed: () => undefined,
  refused: () => undefined,
  keyTrusted: () => undefined,
  keyRemoved: () => undefined,
};
