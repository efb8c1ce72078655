import {
  BundleList,
  Committed,
  edpPaths,
  RELEASE_BUNDLES,
  ReleaseBundle,
  Transaction,
  TransactionList,
  TRUSTED_KEYS,
  TrustedKey,
  TrustedKeyList,
  TxFile,
  type StartTransactionRequest,
  type TxState,
} from '../wire/edp.ts';
import { Transport, type Body, type CallOptions, type ClientOptions } from './transport.ts';

/** A file call's answer: the file's state, and whether this call made it PRESENT (201) or it already was (200). */
export interface FileAnswer {
  file: TxFile;
  created: boolean;
}

/**
 * The Edge Distribution Protocol (docs/protocol.md): Distribution's and the source's side of a
 * transaction, the release bundle reads and deletion, and the trusted signing keys. Refusals
 * throw `ApiError` carrying the EDP code (EDP-TX-2).
 */
export class EdpClient {
  readonly #http: Transport;

  constructor(options: ClientOptions) {
    this.#http = new Transport(options);
  }

  /** EDP-TX-3, EDP-TX-4: `created` is false when the same bundle's transaction already existed. */
  async start(request: StartTransactionRequest, options: CallOptions = {}): Promise<{ transaction: Transaction; created: boolean }> {
    const { status, value } = await this.#http.json({ ...options, method: 'POST', path: edpPaths.transactions, json: request }, Transaction, [200, 201]);
    return { transaction: value, created: status === 201 };
  }

  /** EDP-TX-7 */
  async status(id: string, options: CallOptions = {}): Promise<Transaction> {
    return (await this.#http.json({ ...options, method: 'GET', path: edpPaths.transaction(id) }, Transaction)).value;
  }

  async transactions(state?: TxState, options: CallOptions = {}): Promise<Transaction[]> {
    return (await this.#http.json({ ...options, method: 'GET', path: edpPaths.transactions, query: { state } }, TransactionList)).value.transactions;
  }

  /** EDP-FILE-1 … EDP-FILE-5: the bytes stream as they are read; `size` is sent as Content-Length. */
  async uploadFile(id: string, repoPath: string, body: Body, file: { sha256: string; size?: number }, options: CallOptions = {}): Promise<FileAnswer> {
    const headers = {
      'content-type': 'application/octet-stream',
      'x-checksum-sha256': file.sha256,
      ...(file.size === undefined ? {} : { 'content-length': String(file.size) }),
      ...options.headers,
    };
    return this.#file({ ...options, method: 'PUT', path: edpPaths.file(id, repoPath), headers, body });
  }

  /** EDP-FILE-6: no body; 404 `EDP_CONTENT_UNKNOWN` (as `ApiError`) when the Edge must be sent the bytes. */
  async claimFile(id: string, repoPath: string, sha256: string, options: CallOptions = {}): Promise<FileAnswer> {
    const headers = { 'x-checksum-sha256': sha256, 'x-checksum-deploy': 'true', ...options.headers };
    return this.#file({ ...options, method: 'PUT', path: edpPaths.file(id, repoPath), headers });
  }

  /** EDP-TX-8 */
  async commit(id: string, options: CallOptions = {}): Promise<Committed> {
    return (await this.#http.json({ ...options, method: 'POST', path: edpPaths.commit(id) }, Committed)).value;
  }

  /** EDP-TX-9 */
  async abort(id: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: edpPaths.transaction(id) }, [204]);
  }

  /** EDP-PUB-6 */
  async bundles(options: CallOptions = {}): Promise<BundleList['bundles']> {
    return (await this.#http.json({ ...options, method: 'GET', path: RELEASE_BUNDLES }, BundleList)).value.bundles;
  }

  /** EDP-PUB-7: the committed bundle as JFrog's Edge shows it (the signed bytes: `bundleJws`). */
  async bundle(name: string, version: string, options: CallOptions = {}): Promise<ReleaseBundle> {
    return (await this.#http.json({ ...options, method: 'GET', path: edpPaths.releaseBundle(name, version) }, ReleaseBundle)).value;
  }

  /** EDP-PUB-8: the compact JWS exactly as the Edge received it. */
  async bundleJws(name: string, version: string, options: CallOptions = {}): Promise<string> {
    return (await this.#http.text({ ...options, method: 'GET', path: edpPaths.releaseBundle(name, version), query: { format: 'jws' } })).text;
  }

  /** EDP-PUB-5: 404 `EDP_BUNDLE_UNKNOWN` (as `ApiError`) when the Edge does not hold it. */
  async deleteBundle(name: string, version: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: edpPaths.releaseBundle(name, version) }, [204]);
  }

  /** EDP-KEY-6 */
  async trustedKeys(options: CallOptions = {}): Promise<TrustedKey[]> {
    return (await this.#http.json({ ...options, method: 'GET', path: TRUSTED_KEYS }, TrustedKeyList)).value.keys;
  }

  /** EDP-KEY-2: an armored OpenPGP public key; 409 `KEY_DUPLICATE` (as `ApiError`) for a known alias or key. */
  async trustKey(alias: string, publicKey: string, options: CallOptions = {}): Promise<TrustedKey> {
    return (await this.#http.json({ ...options, method: 'POST', path: TRUSTED_KEYS, json: { alias, public_key: publicKey } }, TrustedKey, [201])).value;
  }

  /** EDP-KEY-7 */
  async removeTrustedKey(kid: string, options: CallOptions = {}): Promise<void> {
    await this.#http.status({ ...options, method: 'DELETE', path: edpPaths.trustedKey(kid) }, [204]);
  }

  async #file(call: Parameters<Transport['json']>[0]): Promise<FileAnswer> {
    const { status, value } = await this.#http.json(call, TxFile, [200, 201]);
    return { file: value, created: status === 201 };
  }
}
