/** Misses remembered at most, per Edge: the oldest is forgotten first. */
const MAX_MISSES = 100_000;

/**
 * What the Edge remembers of its upstreams between requests, measured with the Edge's clock:
 * paths the upstream did not have (EDGE-SR-8) and upstreams that failed to answer (EDGE-SR-9).
 * In memory: a restart asks again, which is what the periods are for anyway.
 */
export class UpstreamHealth {
  readonly #misses = new Map<string, number>();
  readonly #offlineUntil = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** EDGE-SR-8: the upstream answered 404 for this path less than the miss period ago. */
  missed(repo: string, path: string): boolean {
    const key = `${repo}\0${path}`;
    const until = this.#misses.get(key);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.#misses.delete(key);
    return false;
  }

  rememberMiss(repo: string, path: string, periodMs: number): void {
    if (periodMs <= 0) return;
    const key = `${repo}\0${path}`;
    this.#misses.delete(key);
    this.#misses.set(key, this.now() + periodMs);
    if (this.#misses.size > MAX_MISSES) this.#misses.delete(this.#misses.keys().next().value as string);
  }

  /** EDGE-SR-9: the upstream failed to answer less than the assumed-offline period ago. */
  assumedOffline(repo: string): boolean {
    const until = this.#offlineUntil.get(repo);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.#offlineUntil.delete(repo);
    return false;
  }

  failedToConnect(repo: string, periodMs: number): void {
    if (periodMs > 0) this.#offlineUntil.set(repo, this.now() + periodMs);
  }

  /** A changed or removed repository starts afresh. */
  forget(repo: string): void {
    this.#offlineUntil.delete(repo);
    for (const key of this.#misses.keys()) if (key.startsWith(`${repo}\0`)) this.#misses.delete(key);
  }
}
