import { createHash } from 'node:crypto';
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

export interface Failures {
  count: number;
  last: number;
  suspendedUntil: number;
}

/** One attempt let through by `check`; settle it exactly once (later calls do nothing). */
export interface LoginAttempt {
  /** Counts the failure; returns the suspension it starts, in ms (0: none). */
  failed(): number;
  succeeded(): void;
  /** Neither: the password could not be checked (an error). */
  release(): void;
}

/**
 * EDGE-AUTH-9: password guessing slows down, per user name *and* client address, as
 * Artifactory's temporary login suspension does per user (a growing delay, at most a minute).
 * Keying by address too means a guesser elsewhere cannot keep the admin out of the admin's own
 * machine; a suspension is short, so one sharing the admin's address (a proxy) cannot either
 * for long. Attempts while suspended are refused unchecked and are not counted.
 *
 * `check` reserves the attempt: attempts in flight count against the failures still allowed
 * before a suspension, so a burst of parallel guesses gets no more than sequential ones.
 * Entries are keyed by a hash of user and address (memory per entry is fixed whatever the
 * name's length); when full, entries that never reached a suspension go first, suspended ones
 * last.
 */
export class LoginThrottle {
  readonly #entries = new Map<string, Failures>();
  /** Attempts let through by `check` and not yet settled, per key; only non-zero counts. */
  readonly #inFlight = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
    /** Told of each suspension, for the operator's log. */
    private readonly onSuspended: (user: string, address: string, failures: number, suspensionMs: number) => void = () => undefined,
  ) {}

  /** Throws 429 LOGIN_SUSPENDED while `user` from `address` is suspended; reserves nothing. */
  refuseIfSuspended(user: string, address: string): Failures | undefined {
    const entry = this.#live(throttleKey(user, address));
    const waitMs = entry ? entry.suspendedUntil - this.now() : 0;
    if (waitMs > 0) throw suspended(user, waitMs);
    return entry;
  }

  /**
   * Throws 429 LOGIN_SUSPENDED while `user` from `address` is suspended, or while as many of
   * its attempts are in flight as failures are left before a suspension (at least one);
   * otherwise reserves the attempt, which the caller settles.
   */
  check(user: string, address: string): LoginAttempt {
    const id = throttleKey(user, address);
    const entry = this.refuseIfSuspended(user, address);
    const { suspendAfterFailures } = this.policy;
    const inFlight = this.#inFlight.get(id) ?? 0;
    if (suspendAfterFailures > 0 && inFlight >= Math.max(1, suspendAfterFailures - (entry?.count ?? 0))) throw suspended(user, 1_000);
    this.#inFlight.set(id, inFlight + 1);
    let open = true;
    const settle = (): boolean => {
      if (!open) return false;
      open = false;
      const left = (this.#inFlight.get(id) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(id, left);
      else this.#inFlight.delete(id);
      return true;
    };
    return {
      failed: () => (settle() ? this.failed(user, address) : 0),
      succeeded: () => {
        if (settle()) this.succeeded(user, address);
      },
      release: () => {
        settle();
      },
    };
  }

  /** Counts a failure; returns the suspension it starts, in ms (0: none). */
  failed(user: string, address: string): number {
    const id = throttleKey(user, address);
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
    this.#entries.delete(throttleKey(user, address));
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

  /**
   * The map is in order of last failure, so what is forgotten is at its front. When still full,
   * the oldest entry goes that never reached a suspension; else the oldest not suspended now;
   * a currently suspended one only when all are. Flooding with cheap failures of other names
   * cannot flush a guesser's own suspension or its count (EDGE-AUTH-9).
   */
  #makeRoom(): void {
    for (const [id, entry] of this.#entries) {
      if (!this.#forgotten(entry)) break;
      this.#entries.delete(id);
    }
    if (this.#entries.size < this.policy.maxEntries) return;
    const now = this.now();
    const { suspendAfterFailures } = this.policy;
    let counted: string | undefined;
    let suspendedNow: string | undefined;
    for (const [id, entry] of this.#entries) {
      if (entry.suspendedUntil > now) suspendedNow ??= id;
      else if (suspendAfterFailures > 0 && entry.count >= suspendAfterFailures) counted ??= id;
      else {
        this.#entries.delete(id);
        return;
      }
    }
    const victim = counted ?? suspendedNow;
    if (victim !== undefined) this.#entries.delete(victim);
  }
}

function suspended(user: string, waitMs: number): EdgeError {
  const seconds = Math.ceil(waitMs / 1000);
  return new EdgeError(
    'LOGIN_SUSPENDED',
    `Too many failed logins for user '${printable(user)}' from this address; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { retry_after: seconds },
  );
}

/** A fixed-size key: a user name can be as long as a header allows (EDGE-AUTH-9). */
export function throttleKey(user: string, address: string): string {
  return createHash('sha256').update(user).update('\0').update(address).digest('base64');
}
