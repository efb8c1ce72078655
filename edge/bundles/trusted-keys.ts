import { readPublicKey, readTrustedKey, type PublicKeyInfo, type TrustedKeyLike } from '../../protocol/bundle/index.ts';
import { EdgeError } from '../../protocol/errors.ts';
import type { BundleStore, TrustedKeyRecord } from '../storage/bundles.ts';
import { NO_DISTRIBUTION_EVENTS, type DistributionEvents } from './events.ts';

/**
 * The OpenPGP keys this Edge accepts bundle signatures from (`/api/security/keys/trusted`,
 * jfrog-compat.md §3.9). Parsed keys are cached by kid; the store stays the source of truth.
 */
export class TrustedKeys {
  readonly #parsed = new Map<string, PublicKeyInfo>();

  constructor(
    private readonly store: BundleStore,
    private readonly now: () => number,
    private readonly events: Pick<DistributionEvents, 'keyTrusted' | 'keyRemoved'> = NO_DISTRIBUTION_EVENTS,
  ) {}

  async add(alias: string, armored: string): Promise<TrustedKeyRecord> {
    // EDP-KEY-3, EDP-KEY-4: only valid, unexpired, unrevoked RSA keys of at least 2048 bits.
    const key = await readTrustedKey(armored, this.now());
    const record: TrustedKeyRecord = {
      kid: key.kid,
      alias,
      fingerprint: key.fingerprint,
      publicKey: armored,
      algorithm: key.algorithm,
      bits: key.bits,
      issued: key.created,
      issuedBy: key.issuedBy,
      expiry: key.expiry,
      added: this.now(),
    };
    await this.store.addKey(record);
    this.#parsed.set(key.kid, key);
    this.events.keyTrusted(record);
    return record;
  }

  list(): Promise<TrustedKeyRecord[]> {
    return this.store.keys();
  }

  async remove(kid: string): Promise<void> {
    this.#parsed.delete(kid);
    if (!(await this.store.removeKey(kid))) throw new EdgeError('KEY_UNKNOWN', `No trusted key with kid ${kid}.`);
    this.events.keyRemoved(kid);
  }

  /** EDP-SIG-5: the kid alone selects the key; an unknown kid resolves to nothing. */
  resolve = async (kid: string): Promise<TrustedKeyLike | undefined> => {
    const cached = this.#parsed.get(kid);
    const record = await this.store.key(kid);
    if (!record) {
      this.#parsed.delete(kid);
      return undefined;
    }
    if (cached) return cached;
    // Expiry and revocation are judged by verifyBundle against its own clock.
    const key = await readPublicKey(record.publicKey, this.now()).catch(() => undefined);
    if (!key?.jwk) return undefined;
    this.#parsed.set(kid, key);
    return key;
  };
}
