import type { UpstreamMemory } from '../../storage/metadata.ts';

/**
 * What the Edge remembers of its upstreams between requests: paths the upstream did not have
 * (EDGE-SR-8) and upstreams that failed to answer (EDGE-SR-9). EDGE-HA-5: kept in the metadata
 * store, so every process sharing it (workers, the nodes of a cluster) honours what any one
 * learnt; asked only on the way to the upstream, never for a cached file. Periods are measured
 * with the Edge's clock.
 */
export class UpstreamHealth {
  /** Forgetting in progress per repository: what is read meanwhile must not be the old state. */
  readonly #forgetting = new Map<string, Promise<void>>();

  constructor(
    private readonly memory: UpstreamMemory,
    private readonly now: () => number,
  ) {}

  /** EDGE-SR-8: the upstream answered 404 for this path less than the miss period ago. */
  async missed(repo: string, path: string): Promise<boolean> {
    await this.#forgetting.get(repo);
    return this.memory.missed(repo, path, this.now());
  }

  async rememberMiss(repo: string, path: string, periodMs: number): Promise<void> {
    if (periodMs <= 0) return;
    const at = this.now();
    await this.memory.rememberMiss(repo, path, at + periodMs, at);
  }

  /** EDGE-SR-9: the upstream failed to answer less than the assumed-offline period ago. */
  async assumedOffline(repo: string): Promise<boolean> {
    await this.#forgetting.get(repo);
    return this.memory.offline(repo, this.now());
  }

  async failedToConnect(repo: string, periodMs: number): Promise<void> {
    if (periodMs > 0) await this.memory.rememberOffline(repo, this.now() + periodMs);
  }

  /** A changed or removed repository starts afresh. */
  forget(repo: string): void {
    const forgetting = this.memory.forget(repo).catch(() => undefined);
    this.#forgetting.set(repo, forgetting);
    void forgetting.finally(() => {
      if (this.#forgetting.get(repo) === forgetting) this.#forgetting.delete(repo);
    });
  }
}
