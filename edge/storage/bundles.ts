import type { Checksums } from '../../protocol/checksums.ts';
import type { TxFileState, TxState } from '../../protocol/wire/edp.ts';

/**
 * Metadata of the Edge Distribution Protocol (docs/protocol.md): trusted signing keys, transactions
 * with their per-file state, and committed bundles. As with the rest of the metadata store,
 * every method is one atomic operation.
 */

export interface TrustedKeyRecord {
  kid: string;
  alias: string;
  fingerprint: string;
  /** Armored OpenPGP public key as it was given. */
  publicKey: string;
  algorithm: string;
  bits: number;
  issued: number;
  issuedBy: string;
  /** 0: never expires. */
  expiry: number;
  added: number;
}

// The states are the wire's: storage keeps what EDP shows.
export type { TxFileState, TxState };

export interface BundleProperty {
  key: string;
  values: string[];
}

export interface TxFile {
  repoPath: string;
  repo: string;
  path: string;
  sha256: string;
  size: number;
  props: BundleProperty[];
  state: TxFileState;
}

export interface TransactionRecord {
  id: string;
  name: string;
  version: string;
  payloadSha256: string;
  jws: string;
  kid: string;
  state: TxState;
  created: number;
  lastActivity: number;
  closed: number | null;
  by: string;
  files: TxFile[];
}

export interface BundleRecord {
  name: string;
  version: string;
  payloadSha256: string;
  jws: string;
  kid: string;
  txId: string;
  /** `created` as the signed payload states it. */
  created: string;
  committed: number;
  totalSize: number;
}

export interface BundleStore {
  keys(): Promise<TrustedKeyRecord[]>;
  key(kid: string): Promise<TrustedKeyRecord | undefined>;
  /** Fails with KEY_DUPLICATE when the alias or the key is already trusted. */
  addKey(key: TrustedKeyRecord): Promise<void>;
  removeKey(kid: string): Promise<boolean>;

  /**
   * Stores a new OPEN transaction, unless one for the same name/version is already OPEN (a
   * concurrent start won the race): returns the id of the transaction in force.
   */
  createTransaction(tx: TransactionRecord): Promise<string>;
  transaction(id: string): Promise<TransactionRecord | undefined>;
  /** The transaction without its file list: what per-file calls need, at constant cost. */
  transactionHead(id: string): Promise<Omit<TransactionRecord, 'files'> | undefined>;
  file(txId: string, repoPath: string): Promise<TxFile | undefined>;
  /** Transactions of one bundle name/version in the given states, newest first. */
  transactionsOf(name: string, version: string, states: TxState[]): Promise<TransactionRecord[]>;
  transactions(state?: TxState): Promise<TransactionRecord[]>;
  /** SHA-1 and MD5 of content the Edge already holds under this SHA-256. */
  checksumsOf(sha256: string): Promise<Checksums | undefined>;
  /** Marks a file PRESENT in an OPEN transaction (EDP_TX_CLOSED otherwise). */
  markPresent(txId: string, repoPath: string, at: number, checksums: Checksums): Promise<TxFile>;
  /** Marks files whose bytes went missing as MISSING again. */
  markMissing(txId: string, repoPaths: string[]): Promise<void>;
  /**
   * Publishes an OPEN transaction in one step: items, properties, the bundle and its file list
   * appear together, and the transaction becomes COMMITTED. Fails with EDP_PATH_CONFLICT
   * (other content at a target path), EDP_INCOMPLETE, EDP_REPO_MISSING/INVALID or EDP_TX_CLOSED,
   * changing nothing.
   */
  commit(txId: string, at: number, uploadsRepo: string): Promise<BundleRecord>;
  /** Ends an OPEN transaction; returns the content it had staged. */
  close(txId: string, state: 'ABORTED' | 'EXPIRED', at: number): Promise<string[]>;
  /** OPEN transactions whose last activity is older than `before`. */
  stale(before: number): Promise<TransactionRecord[]>;

  bundle(name: string, version: string): Promise<BundleRecord | undefined>;
  bundles(): Promise<BundleRecord[]>;
  /**
   * Removes a bundle; its files leave their repositories unless another bundle holds the same
   * path and content. Returns the content that lost a reference.
   */
  deleteBundle(name: string, version: string): Promise<string[]>;
  /** Committed bundles with a file in this repository. */
  bundlesInRepo(repo: string): Promise<{ name: string; version: string }[]>;
}
