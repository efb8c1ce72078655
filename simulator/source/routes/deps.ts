import type { SimContext } from '../../core/service.ts';
import type { SourceAuth } from '../auth.ts';
import type { SourceState } from '../state.ts';

/** What every route module of the source is given. */
export interface RouteDeps {
  ctx: SimContext;
  state: SourceState;
  auth: SourceAuth;
  /** Recorded as createdBy/modifiedBy: the admin is the only writer. */
  adminUser: string;
  /** `jfrt@<id>` (jfrog-compat.md §0.5). */
  serviceId: string;
}
