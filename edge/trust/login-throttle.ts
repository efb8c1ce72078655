import { EdgeError } from '../../protocol/errors.ts';
import { printable } from '../../protocol/printable.ts';

export interface LoginThrottlePolicy {
  /** Failures in a row that are only refused; from this one on, each also suspends. 0: never suspend. */
  suspendAfterFailures: number;
  /** The first suspension; each further failure doubles it, up to `maxSuspensionMs`. */
  firstSuspensionMs: number;
  maxSuspensionMs: number;
  /** A name and address without a failure for this long start again from zero. */
  forgetAfterMs: number;
  /** Names and addresses followed at once; memory stays bounded whatever an attacker sends. */
  maxEntries: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = {
  suspendAfterFailures: 5,
  firstSuspensionMs: 1_000,
  maxSuspensionMs: 60_000,
  forgetAfterMs: 15 * 60_000,
  maxEntries: 10_000,
};

interface Failures {
  count: number;
  last: number;
  suspendedUntil: number;
}

/**
 * EDGE-AUTH-9: password guessing slows down, per user name *and* client address, as
 * Artifactory's temporary login suspension does per user (a growing delay, at most a minute).
 * Keying by address too means a guesser elsewhere cannot keep the admin out of the admin's own
 * machine; a suspension is short, so one sharing the admin's address (a proxy) cannot either
 * for long. Attempts while suspended are refused unchecked and are not counted.
 */
export class LoginThrottle {
  readonly #entries = new Map<string, Failures>();

  constructor(
    private readonly now: () => number,
    private readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
    /** Told of each suspension, for the operator's log. */
    private readonly onSuspended: (user: string, address: string, failures: number, suspensionMs: number) => void = () => undefined,
  ) {}

  /** Throws 429 LOGIN_SUSPENDED while `user` from `address` is suspended. */
  check(user: string, address: string): void {
    const entry = this.#live(key(user, address));
    const waitMs = entry ? entry.suspendedUntil - this.now() : 0;
    if (waitMs <= 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    throw new EdgeError(
      'LOGIN_SUSPENDED',
      `Too many failed logins for user '${printable(user)}' from this address; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      { retry_after: seconds },
    );
  }

  /** Counts a failure; returns the suspension it starts, in ms (0: none). */
  failed(user: string, address: string): number {
    const id = key(user, address);
    const now = this.now();
    const entry = this.#live(id) ?? { count: 0, last: now, suspendedUntil: 0 };
    entry.count += 1;
    entry.last = now;
    const { suspendAfterFailures, firstSuspensionMs, maxSuspensionMs } = this.policy;
    const over = entry.count - suspendAfterFailures;
    const suspensionMs = suspendAfterFailures > 0 && over >= 0 ? Math.min(firstSuspensionMs * 2 ** Math.min(over, 30), maxSuspensionMs) : 0;
    entry.suspendedUntil = now + suspensionMs;
    // Re-inserted so the map's order is the order of last failure: the oldest go first.
    this.#entries.delete(id);
    this.#makeRoom();
    this.#entries.set(id, entry);
    if (suspensionMs > 0) this.onSuspended(user, address, entry.count, suspensionMs);
    return suspensionMs;
  }

  succeeded(user: string, address: string): void {
    this.#entries.delete(key(user, address));
  }

  /** How many names and addresses are followed (for tests of the bound). */
  get size(): number {
    return this.#entries.size;
  }

  #live(id: string): Failures | undefined {
    const entry = this.#entries.get(id);
    if (entry && this.#forgotten(entry)) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  #forgotten(entry: Failures): boolean {
    return entry.last + this.policy.forgetAfterMs <= this.now();
  }

  /** The map is in order of last failure, so what is forgotten, or oldest, is at its front. */
  #makeRoom(): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size < this.policy.maxEntries && !this.#forgotten(entry)) break;
      this.#entries.delete(id);
    }
  }
}

function key(user: string, address: string): string {
  return `${user}\0${address}`;
}
