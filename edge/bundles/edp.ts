import { ulid } from 'ulid';
import { verifyBundle, type VerifiedBundle } from '../../protocol/bundle/index.ts';
import { EdgeError } from '../../protocol/errors.ts';
import { inFlight } from '../in-flight.ts';
import { parseItemUrl } from '../../protocol/paths.ts';
import { UPLOADS_REPO, type RepositoryService } from '../repos/repositories.ts';
import type { BundleRecord, BundleStore, TransactionHead, TransactionRecord, TxFile } from '../storage/bundles.ts';
import type { ContentStore } from '../storage/content.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { NO_DISTRIBUTION_EVENTS, type DistributionEvents, type DistributionStep } from './events.ts';
import { publishTransaction } from './publication.ts';
import { mayReceiveBundles, repoInvalid, targetRepos } from './publication-rules.ts';
import type { TrustedKeys } from './trusted-keys.ts';

export interface EdpLimits {
  /** Largest sum of file sizes in one bundle. */
  maxBundleBytes: number;
  /** OPEN transactions without activity for this long expire. */
  transactionTtlMs: number;
  /** Content stores asked at once at commit whether each file's bytes are still there (default COMMIT_CHECKS_IN_FLIGHT). */
  commitChecksInFlight?: number;
}

/**
 * EDGE-BIN-8: an object store answers each existence check in a round trip (a HEAD); 2,000
 * files asked one after another cost seconds of a commit, 16 at a time a fraction of that.
 */
export const COMMIT_CHECKS_IN_FLIGHT = 16;

/**
 * Checks the files of a transaction about to be published, all PRESENT, and refuses the commit
 * by throwing (the package indexes' admission, EDGE-PKG-4).
 */
export type CommitCheck = (files: readonly TxFile[]) => Promise<void>;

/** Transaction id, repo_path, X-Checksum-Sha256, declared Content-Length, the body. */
type UploadArgs = [id: string, repoPath: string, header: string | undefined, declaredLength: number | undefined, body: AsyncIterable<Uint8Array>];

/** The file, and whether this call made it PRESENT (false: it already was). */
export interface FileResult {
  file: TxFile;
  created: boolean;
}

export interface StartResult {
  transaction: TransactionRecord;
  /** False when an identical bundle was already OPEN or COMMITTED (200 instead of 201). */
  created: boolean;
}

/**
 * The Edge side of the Edge Distribution Protocol (docs/protocol.md): verify a signed bundle,
 * stage its files as content nobody can see, and publish them all at once.
 *
 * EDGE-HA-4: it keeps no transaction state in the process — every call reads and writes the
 * metadata and content stores — so on a cluster a transaction started on one node continues and
 * commits on any other, and a node killed mid-upload leaves only a file not yet PRESENT.
 */
export class EdpService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly bundles: BundleStore,
    private readonly content: ContentStore,
    private readonly repositories: RepositoryService,
    private readonly keys: TrustedKeys,
    private readonly limits: EdpLimits,
    private readonly now: () => number,
    private readonly events: DistributionEvents = NO_DISTRIBUTION_EVENTS,
    private readonly beforePublish: CommitCheck = async () => undefined,
  ) {}

  /** EDGE-OPS-5: refusals of the protocol's steps are events too, with their code. */
  async #reported<T>(step: DistributionStep, where: { txId?: string; repoPath?: string }, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof EdgeError) this.events.refused(step, error, where);
      throw error;
    }
  }

  async #verify(jws: string): Promise<VerifiedBundle> {
    return verifyBundle(jws, this.keys.resolve, { now: this.now(), maxTotalBytes: this.limits.maxBundleBytes });
  }

  start(jws: unknown, autoCreateRepos: boolean, by: string): Promise<StartResult> {
    return this.#reported('start', {}, async () => {
      const result = await this.#start(jws, autoCreateRepos, by);
      if (result.created) this.events.opened(result.transaction);
      return result;
    });
  }

  async #start(jws: unknown, autoCreateRepos: boolean, by: string): Promise<StartResult> {
    if (typeof jws !== 'string' || jws === '') throw new EdgeError('EDP_BUNDLE_MALFORMED', 'Body must be {"bundle": "<JWS>"}.');
    const verified = await this.#verify(jws);
    const { name, version } = verified.payload;

    // EDP-TX-4, EDP-TX-5: the same signed payload again is the same transaction (idempotent start,
    // replay); another payload under the same name/version is refused.
    const committed = await this.bundles.bundle(name, version);
    if (committed) {
      if (committed.payloadSha256 !== verified.payloadSha256) throw immutable(name, version);
      const tx = await this.bundles.transaction(committed.txId);
      if (tx) return { transaction: tx, created: false };
    }
    for (const open of await this.bundles.transactionsOf(name, version, ['OPEN'])) {
      // An idle one past its lifetime expires here rather than blocking a fresh start.
      const current = await this.status(open.id);
      if (current.state !== 'OPEN') continue;
      if (current.payloadSha256 !== verified.payloadSha256) throw immutable(name, version);
      return { transaction: current, created: false };
    }

    const files = verified.payload.artifacts.map((artifact): TxFile => {
      const address = addressOf(artifact.repo_path);
      return {
        repoPath: artifact.repo_path,
        repo: address.repo,
        path: address.path,
        sha256: artifact.checksum,
        size: artifact.size,
        props: artifact.props ?? [],
        state: 'MISSING',
        checksums: null,
      };
    });
    await this.#checkRepos(targetRepos(files), autoCreateRepos);

    const at = this.now();
    const transaction: TransactionRecord = {
      id: ulid(at).toLowerCase(),
      name,
      version,
      payloadSha256: verified.payloadSha256,
      jws: verified.jws,
      kid: verified.header.kid,
      state: 'OPEN',
      created: at,
      lastActivity: at,
      closed: null,
      by,
      files,
    };
    const inForce = await this.bundles.createTransaction(transaction);
    if (inForce !== transaction.id) {
      // A concurrent start of the same name/version got there first.
      const winner = (await this.bundles.transaction(inForce)) as TransactionRecord;
      if (winner.payloadSha256 !== verified.payloadSha256) throw immutable(name, version);
      return { transaction: winner, created: false };
    }
    // EDP-TX-3, EDP-FILE-8: content the Edge already holds is never transferred again.
    for (const file of files) {
      const checksums = await this.bundles.checksumsOf(file.sha256);
      if (checksums) await this.content.reference(file.sha256, () => this.bundles.markPresent(transaction.id, file.repoPath, at, checksums));
    }
    return { transaction: (await this.bundles.transaction(transaction.id)) as TransactionRecord, created: true };
  }

  /** EDP-TX-6: every target is checked before any missing one is created, so a refusal creates nothing. */
  async #checkRepos(repos: readonly string[], autoCreate: boolean): Promise<void> {
    const missing: string[] = [];
    for (const key of repos) {
      const repo = await this.metadata.repos.get(key);
      if (!repo) {
        if (!autoCreate) throw new EdgeError('EDP_REPO_MISSING', `Target repository ${key} does not exist on this Edge.`, { repo: key });
        missing.push(key);
      } else if (!mayReceiveBundles(repo, UPLOADS_REPO)) {
        throw repoInvalid(key);
      }
    }
    for (const key of missing) await this.repositories.create(key, { rclass: 'local', packageType: 'generic' });
  }

  /** An OPEN transaction's head; expired ones are closed on the way (EDP-TX-11). */
  async #open(id: string): Promise<TransactionHead> {
    return this.#opened(id, await this.bundles.transactionHead(id));
  }

  async #opened(id: string, tx: TransactionHead | undefined): Promise<TransactionHead> {
    if (!tx) throw new EdgeError('EDP_TX_UNKNOWN', `No transaction ${id}.`);
    if (tx.state === 'OPEN' && this.#idle(tx)) await this.#close(tx.id, 'EXPIRED');
    else if (tx.state === 'OPEN') return tx;
    const state = tx.state === 'OPEN' ? 'EXPIRED' : tx.state;
    throw new EdgeError('EDP_TX_CLOSED', `Transaction ${id} is ${state}.`, { state });
  }

  #idle(tx: Pick<TransactionRecord, 'lastActivity'>): boolean {
    return tx.lastActivity + this.limits.transactionTtlMs <= this.now();
  }

  async status(id: string): Promise<TransactionRecord> {
    const tx = await this.bundles.transaction(id);
    if (!tx) throw new EdgeError('EDP_TX_UNKNOWN', `No transaction ${id}.`);
    if (tx.state === 'OPEN' && this.#idle(tx)) {
      await this.#close(tx.id, 'EXPIRED');
      return (await this.bundles.transaction(id)) as TransactionRecord;
    }
    return tx;
  }

  list(state?: TransactionRecord['state']): Promise<TransactionRecord[]> {
    return this.bundles.transactions(state);
  }

  /** A file of an OPEN transaction, read with the transaction's head in one go (EDGE-PG-6). */
  async #openFile(id: string, repoPath: string): Promise<TxFile> {
    const found = await this.bundles.fileOf(id, repoPath);
    const tx = await this.#opened(id, found?.head);
    if (!found?.file) throw new EdgeError('EDP_FILE_NOT_IN_BUNDLE', `${repoPath} is not a file of bundle ${tx.name}/${tx.version}.`);
    return found.file;
  }

  /**
   * EDP-FILE-1..5: stream one file into staging, verified against the signed checksum and size.
   * Returns the file and whether it was already PRESENT (nothing read then).
   */
  upload(...args: UploadArgs): Promise<FileResult> {
    const [id, repoPath] = args;
    return this.#reported('upload', { txId: id, repoPath }, async () => this.#verified(id, await this.#upload(...args)));
  }

  #verified(id: string, result: FileResult): FileResult {
    if (result.created) this.events.verified(id, result.file);
    return result;
  }

  async #upload(...[id, repoPath, header, declaredLength, body]: UploadArgs): Promise<FileResult> {
    const file = await this.#openFile(id, repoPath);
    // EDP-FILE-5: a PRESENT file answers 200 and nothing is read again.
    if (file.state === 'PRESENT') return { file, created: false };
    if (header === undefined) throw new EdgeError('BAD_REQUEST', 'X-Checksum-Sha256 is required.');
    // EDP-FILE-2: a disagreeing header is refused before a byte of the body is read.
    if (header.trim().toLowerCase() !== file.sha256) {
      throw new EdgeError('EDP_CHECKSUM_MISMATCH', `X-Checksum-Sha256 of ${repoPath} differs from the signed checksum.`, { repo_path: repoPath });
    }
    const sizeExceeded = () => new EdgeError('EDP_SIZE_EXCEEDED', `${repoPath} is larger than its signed size of ${file.size} bytes.`, { repo_path: repoPath });
    // EDP-FILE-3: bounded before reading when declared, and while reading otherwise.
    if (declaredLength !== undefined && declaredLength > file.size) throw sizeExceeded();
    // EDP-FILE-9: a body that breaks off makes stage throw with its temp file removed, before the
    // file is marked PRESENT: it stays MISSING, and the sender resumes by uploading it again.
    const staged = await this.content.stage(body, { maxBytes: file.size, tooLarge: sizeExceeded, expectedSha256: file.sha256 });
    // EDP-FILE-4: bytes that are not the signed bytes are discarded, never staged.
    if (staged.size !== file.size || staged.checksums.sha256 !== file.sha256) {
      await staged.discard();
      throw new EdgeError(
        'EDP_CHECKSUM_MISMATCH',
        `${repoPath}: received ${staged.size} bytes with sha256 ${staged.checksums.sha256}, the bundle signs ${file.size} bytes with sha256 ${file.sha256}.`,
        { repo_path: repoPath },
      );
    }
    const present = await this.content.commit(staged, () => this.bundles.markPresent(id, repoPath, this.now(), staged.checksums));
    return { file: present, created: true };
  }

  /** EDP-FILE-6: deploy by checksum from content the Edge already holds. */
  checksumDeploy(id: string, repoPath: string): Promise<FileResult> {
    return this.#reported('upload', { txId: id, repoPath }, async () => this.#verified(id, await this.#checksumDeploy(id, repoPath)));
  }

  async #checksumDeploy(id: string, repoPath: string): Promise<FileResult> {
    const file = await this.#openFile(id, repoPath);
    if (file.state === 'PRESENT') return { file, created: false };
    const checksums = await this.bundles.checksumsOf(file.sha256);
    const present = checksums && (await this.content.reference(file.sha256, () => this.bundles.markPresent(id, repoPath, this.now(), checksums)));
    if (!present) throw new EdgeError('EDP_CONTENT_UNKNOWN', `This Edge holds no content with sha256 ${file.sha256}; upload it.`, { repo_path: repoPath });
    return { file: present, created: true };
  }

  commit(id: string): Promise<BundleRecord> {
    return this.#reported('commit', { txId: id }, async () => {
      const bundle = await this.#commit(id);
      this.events.committed(bundle);
      return bundle;
    });
  }

  async #commit(id: string): Promise<BundleRecord> {
    // Expires an idle transaction on the way; whether it may be published is publishTransaction's.
    await this.#open(id);
    const tx = (await this.bundles.transaction(id)) as TransactionRecord;
    // EDP-TX-8: trust is judged again at commit: a key removed or expired meanwhile stops it.
    await this.#verify(tx.jws);
    // Bytes that vanished from the filestore since staging must be sent again. EDP-TX-8: the
    // refusal lists every file to send, the vanished ones and those never sent alike.
    const present = tx.files.filter((file) => file.state === 'PRESENT');
    const held = await inFlight(present, this.limits.commitChecksInFlight ?? COMMIT_CHECKS_IN_FLIGHT, (file) => this.content.has(file.sha256));
    const vanished = present.filter((_, i) => !held[i]).map((file) => file.repoPath);
    if (vanished.length) {
      await this.bundles.markMissing(id, vanished);
      const missing = tx.files.filter((f) => f.state !== 'PRESENT' || vanished.includes(f.repoPath)).map((f) => f.repoPath);
      throw new EdgeError('EDP_INCOMPLETE', `${missing.length} file(s) of the bundle must be transferred (${vanished.length} of them again).`, { missing });
    }
    // Incomplete transactions are publishTransaction's to refuse, with the list of what is missing.
    if (tx.files.every((file) => file.state === 'PRESENT')) await this.beforePublish(tx.files);
    return publishTransaction(this.metadata, id, this.now(), UPLOADS_REPO);
  }

  /** EDP-TX-9 */
  async abort(id: string): Promise<void> {
    const tx = await this.status(id);
    if (tx.state === 'COMMITTED') throw new EdgeError('EDP_TX_CLOSED', `Transaction ${id} is COMMITTED.`, { state: tx.state });
    if (tx.state === 'OPEN') await this.#close(id, 'ABORTED');
  }

  async #close(id: string, state: 'ABORTED' | 'EXPIRED'): Promise<void> {
    const staged = await this.bundles.close(id, state, this.now());
    await this.content.release(staged);
  }

  /** EDP-TX-11: OPEN transactions idle past their lifetime expire and give their bytes back. */
  async expireStale(): Promise<number> {
    const stale = await this.bundles.stale(this.now() - this.limits.transactionTtlMs);
    for (const tx of stale) await this.#close(tx.id, 'EXPIRED').catch(() => undefined);
    return stale.length;
  }

  /** EDP-PUB-5 */
  async deleteBundle(name: string, version: string): Promise<void> {
    const released = await this.bundles.deleteBundle(name, version);
    await this.content.release(released);
  }
}

/** The signed repo_path must also be a path this Edge can address (the EDGE-IN rules). */
function addressOf(repoPath: string): { repo: string; path: string } {
  try {
    return parseItemUrl(`/${repoPath.split('/').map(encodeURIComponent).join('/')}`);
  } catch (error) {
    const reason = error instanceof EdgeError ? error.message : 'invalid path';
    throw new EdgeError('EDP_BUNDLE_MALFORMED', `repo_path '${repoPath.slice(0, 200)}' is not usable on this Edge: ${reason}`);
  }
}

function immutable(name: string, version: string): EdgeError {
  return new EdgeError('EDP_BUNDLE_IMMUTABLE', `Bundle ${name}/${version} already exists with other content; bundles are immutable.`);
}
