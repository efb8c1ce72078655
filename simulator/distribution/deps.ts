import type { SimContext } from '../core/service.ts';
import type { MissionControlClient } from './mission-control.ts';
import type { DistributionOptions, RetryPolicy } from './options.ts';
import type { SourceClient } from './source.ts';
import type { DistributionState } from './state.ts';

/** What the routes work with: state, peers, policy. */
export interface DistributionDeps {
  ctx: SimContext;
  options: DistributionOptions;
  state: DistributionState;
  source: SourceClient;
  mc: MissionControlClient;
  retry: RetryPolicy;
  /** Distributions and deletions still running in the background. */
  running: Set<Promise<void>>;
}
