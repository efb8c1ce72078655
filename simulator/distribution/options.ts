/** How Distribution is wired to its peers, and how patient it is with Edges. */
export interface DistributionOptions {
  adminUser: string;
  adminPassword: string;
  /** Mission Control's base URL (`/mc/api/v1/...` is appended) and the `Authorization` value for it. */
  missionControl: { url: string; authorization: string };
  /** The source Artifactory's base URL (`/artifactory/api/...` is appended) and the `Authorization` value for it. */
  source: { url: string; authorization: string };
  /** `jfds@<id>` (jfrog-compat.md §0.5); generated when absent. */
  serviceId?: string;
  retry?: Partial<RetryPolicy>;
}

export interface RetryPolicy {
  /** Transient failures are retried this many times per site (so at most retries + 1 attempts). */
  retries: number;
  /** Delay before retry number `attempt` (1-based), in ms. */
  backoffMs: (attempt: number) => number;
  /** Waits `ms`; injectable so tests run retries without real delays. */
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 4,
  // Exponential from 1 s, capped at 30 s: 1, 2, 4, 8 s for the default four retries.
  backoffMs: (attempt) => Math.min(30_000, 1_000 * 2 ** (attempt - 1)),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Trailing slashes off, so paths can be appended. */
export function trimBase(url: string): string {
  return url.replace(/\/+$/, '');
}
