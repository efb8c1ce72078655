import { createHash } from 'node:crypto';

/** When a check began: what a success may be remembered under. */
export interface CheckStamp {
  version: number;
  at: number;
}

interface Entry<T> {
  value: T;
  version: number;
  from: number;
  until: number;
}

/**
 * EDGE-AUTH-10: successful credential checks, remembered briefly so a client sending the same
 * credential on every request does not pay scrypt or a signature check each time. Keyed by a
 * SHA-256 of the credential, never the credential. An entry counts only while the security
 * version it was checked under still holds — every write to users, permissions or tokens
 * changes it — so no change waits for a TTL; the version is taken before the check reads
 * anything, so a change made while a check is in flight leaves nothing behind.
 * Failures are never stored: they go through the full check (and the login throttle) each time.
 */
export class VerifiedCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #inFlight = new Map<string, { version: number; result: Promise<T> }>();

  constructor(
    private readonly now: () => number,
    /** Only ever grows; any change means cached successes may no longer hold. */
    private readonly version: () => number,
    private readonly ttlMs: number,
    /**
     * EDGE-AUTH-11: brings `version` up to every change any process sharing the store committed
     * (a node that learns of others' changes by notification); awaited before a hit is honoured.
     */
    private readonly confirm: () => Promise<void> = async () => {},
    private readonly maxEntries = 1024,
  ) {}

  static key(...parts: string[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part).update('\0');
    return hash.digest('hex');
  }

  /**
   * Runs `check` for a credential not cached, once at a time: callers bringing the same
   * credential while a check begun under the current version runs share its outcome (a client
   * opening 64 connections at once costs one scrypt, not 64 — nor 429s from the login
   * throttle's reservations). One arriving after a change starts its own check. A success is
   * remembered until `notAfter` at the latest.
   */
  check(key: string, check: (stamp: CheckStamp) => Promise<{ value: T; notAfter?: number }>): Promise<T> {
    const running = this.#inFlight.get(key);
    if (running && running.version === this.version()) return running.result;
    const stamp = this.#stamp();
    const result = check(stamp).then(({ value, notAfter }) => {
      this.#set(key, value, stamp, notAfter);
      return value;
    });
    const entry = { version: stamp.version, result };
    this.#inFlight.set(key, entry);
    const done = () => {
      if (this.#inFlight.get(key) === entry) this.#inFlight.delete(key);
    };
    result.then(done, done);
    return result;
  }

  /** Taken before reading what the check depends on. */
  #stamp(): CheckStamp {
    return { version: this.version(), at: this.now() };
  }

  /** The remembered success, once the version it holds under is confirmed against the store; a miss costs no confirmation. */
  async confirmed(key: string): Promise<T | undefined> {
    if (this.get(key) === undefined) return undefined;
    await this.confirm();
    return this.get(key);
  }

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.version === this.version() && now >= entry.from && now <= entry.until) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Remembers a success checked since `stamp`, until `notAfter` at the latest (a token's `exp`). */
  #set(key: string, value: T, stamp: CheckStamp, notAfter = Number.POSITIVE_INFINITY): void {
    if (stamp.version !== this.version() || notAfter <= stamp.at) return;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, { value, version: stamp.version, from: stamp.at, until: Math.min(stamp.at + this.ttlMs, notAfter) });
  }
}
