import { EdgeError } from '../../protocol/errors.ts';
import type { Checksums } from '../../protocol/checksums.ts';
import type { TxFileState, TxState } from '../../protocol/wire/edp.ts';
import type { FileRecord } from './file-record.ts';

/**
 * Metadata of the Edge Distribution Protocol (docs/protocol.md): trusted signing keys, transactions
 * with their per-file state, and committed bundles. As with the rest of the metadata store,
 * every method is one atomic operation.
 *
 * EDP-TX-10: transactions and each file's state live here, in the durable store, not in memory,
 * so an OPEN transaction survives a restart and its PRESENT files are not asked for again.
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
  /** All three checksums, known once the file is PRESENT. */
  checksums: Checksums | null;
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

export type TransactionHead = Omit<TransactionRecord, 'files' | 'jws'>;

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

/** What is at one path of a repository: nothing, a folder, or a file with its content. */
export type PathState = { folder: true } | { folder: false; sha256: string } | undefined;

/** A path the publication rules looked at, and what they saw there. */
export interface PathSeen {
  repo: string;
  path: string;
  state: PathState;
}

/** A target repository the publication rules looked at: it existed, with this rclass. */
export interface RepoSeen {
  key: string;
  /** Its RepoRecord's rclass (a string here: bundles.ts does not import metadata.ts, which imports it). */
  rclass: string;
}

/** One file as the commit writes it; its properties are added to those the path already has. */
export type PublishedFile = FileRecord;

/** Everything a commit writes, and what the rules assumed when they allowed it. */
export interface PublicationPlan {
  txId: string;
  /** The store applies the plan only while every path still holds what was seen here. */
  seen: PathSeen[];
  /**
   * EDP-TX-6, EDP-TX-8: and only while every target repository still exists with the rclass
   * seen here; one deleted or reclassified since sends the commit round again, to be refused.
   */
  repos: RepoSeen[];
  bundle: BundleRecord;
  files: PublishedFile[];
}

/**
 * The transaction is OPEN: anything else is EDP_TX_UNKNOWN or EDP_TX_CLOSED (EDP-TX-8, EDP-TX-9).
 * Both the publication rules and the stores' compare-and-set on the state (markPresent, close) refuse with it.
 */
export function requireOpen<T extends Pick<TransactionRecord, 'state'>>(txId: string, transaction: T | undefined): asserts transaction is T {
  if (!transaction) throw new EdgeError('EDP_TX_UNKNOWN', `No transaction ${txId}.`);
  if (transaction.state !== 'OPEN') throw new EdgeError('EDP_TX_CLOSED', `Transaction ${txId} is ${transaction.state}.`, { state: transaction.state });
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
  /**
   * The transaction without its file list and its signed bundle: what per-file calls need, at
   * constant cost (the JWS of a 2,000-file bundle is larger than the file it is read for).
   */
  transactionHead(id: string): Promise<TransactionHead | undefined>;
  /**
   * The transaction's head and one of its files (undefined when the bundle has no such file),
   * in one read: an upload needs both (EDGE-PG-6). Undefined when there is no such transaction.
   */
  fileOf(txId: string, repoPath: string): Promise<{ head: TransactionHead; file: TxFile | undefined } | undefined>;
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
   * What is at each path now, in the order given: the reads the publication rules judge, taken
   * together (a 2,000-file bundle has thousands of target paths; EDGE-PG-6).
   */
  pathStates(paths: readonly { repo: string; path: string }[]): Promise<PathSeen[]>;
  /**
   * Applies a publication plan in one step: items, properties, the bundle and its file list
   * appear together, and the transaction becomes COMMITTED. Whether it may be published is
   * decided by the rules (edge/bundles/publication-rules.ts), not here. The store checks one
   * thing only, as a compare-and-set, because it is about atomicity rather than policy: the
   * transaction is still OPEN and every path still holds what the rules saw (`plan.seen`).
   * Otherwise it changes nothing and answers undefined, and the caller reads and decides again.
   */
  publish(plan: PublicationPlan): Promise<BundleRecord | undefined>;
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
