import type { SigningKey } from '../../protocol/bundle/index.ts';
import type { BundleSpec } from './spec/bundle-body.ts';
import type { Tracker } from './tracker.ts';

/** Everything Distribution holds, in memory. */

export interface KeyRecord {
  alias: string;
  /** Armored OpenPGP public key, as uploaded. */
  publicKey: string;
  /** Armored OpenPGP private key, as uploaded (possibly passphrase-protected). */
  privateKey: string;
  /** OpenPGP key id, 16 lowercase hex: the JWS `kid` (docs/protocol.md EDP-SIG-4). */
  kid: string;
  fingerprint: string;
  /**
   * The RSA material, when the key was unprotected or came with its passphrase; otherwise each
   * signing decrypts it with the `X-GPG-PASSPHRASE` header (jfrog-compat.md §3.1).
   */
  signingKey: SigningKey | undefined;
}

export type BundleState = 'OPEN' | 'SIGNED' | 'STORED' | 'READY_FOR_DISTRIBUTION';

export interface Prop {
  key: string;
  values: string[];
}

export interface BundleArtifact {
  /** Where the file is on the source Artifactory: `<repo>/<path>`. */
  sourceRepoPath: string;
  /** Where it goes on an Edge, after mappings: the signed `repo_path`. */
  targetRepoPath: string;
  checksum: string;
  size: number;
  props: Prop[];
}

export interface ReleaseNotes {
  syntax: 'markdown' | 'asciidoc' | 'plain_text';
  content: string;
}

export interface BundleRecord {
  name: string;
  version: string;
  state: BundleState;
  storingRepository: string;
  description: string | undefined;
  releaseNotes: ReleaseNotes | undefined;
  spec: BundleSpec;
  /** ms since the epoch, from the injected clock. */
  created: number;
  createdBy: string;
  distributedBy: string | undefined;
  artifacts: BundleArtifact[];
  /** The compact JWS once signed. */
  jws: string | undefined;
}

export interface DistributionState {
  /** By alias. */
  keys: Map<string, KeyRecord>;
  defaultKeyAlias: string | undefined;
  /** By `name/version`. */
  bundles: Map<string, BundleRecord>;
  trackers: Tracker[];
  nextTrackerSeq: number;
}

export function emptyState(): DistributionState {
  return { keys: new Map(), defaultKeyAlias: undefined, bundles: new Map(), trackers: [], nextTrackerSeq: 1 };
}

export const bundleKey = (name: string, version: string): string => `${name}/${version}`;
