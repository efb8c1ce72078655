import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { ulid } from 'ulid';
import type { SimContext, SimService } from '../core/service.ts';
import type { DistributionDeps } from './deps.ts';
import { errorBody, onDistributionError } from './errors.ts';
import { missionControlClient } from './mission-control.ts';
import { defaultRetryPolicy, type DistributionOptions } from './options.ts';
import { distributionRoutes, statusRoutes } from './routes/distribution.ts';
import { keyRoutes } from './routes/keys.ts';
import { releaseBundleRoutes } from './routes/release-bundles.ts';
import { systemRoutes } from './routes/system.ts';
import { sourceClient } from './source.ts';
import { emptyState, type DistributionState } from './state.ts';

export type { DistributionOptions, RetryPolicy } from './options.ts';

export interface Distribution extends SimService {
  readonly name: 'distribution';
  readonly state: DistributionState;
  readonly serviceId: string;
  /** Resolves once no distribution or deletion is running in the background. */
  idle(): Promise<void>;
}

const BASE = '/distribution/api/v1';

/** The simulated JFrog Distribution: release bundles v1, GPG keys, distribution over EDP. */
export function createDistribution(ctx: SimContext, options: DistributionOptions): Distribution {
  const state = emptyState();
  const serviceId = options.serviceId ?? `jfds@${ulid(ctx.now()).toLowerCase()}`;
  const deps: DistributionDeps = {
    ctx,
    options,
    state,
    source: sourceClient(ctx, options.source),
    mc: missionControlClient(ctx, options.missionControl),
    retry: { ...defaultRetryPolicy, ...options.retry },
    running: new Set(),
  };

  const app = new Hono();
  app.onError(onDistributionError(ctx.log));
  app.notFound((c) => c.json(errorBody(404, `No resource at ${c.req.path}.`), 404));

  app.route(`${BASE}/system`, systemRoutes(serviceId));
  app.use(
    `${BASE}/*`,
    basicAuth({
      username: options.adminUser,
      password: options.adminPassword,
      realm: 'Distribution',
      invalidUserMessage: errorBody(401, 'Bad credentials'),
    }),
  );
  app.route(BASE, keyRoutes(deps));
  // Before the bundle reads: their paths overlap (see statusRoutes).
  app.route(BASE, statusRoutes(deps));
  app.route(BASE, releaseBundleRoutes(deps));
  app.route(BASE, distributionRoutes(deps));

  const idle = async (): Promise<void> => {
    while (deps.running.size > 0) await Promise.all(deps.running);
  };
  return { name: 'distribution', app, state, serviceId, idle };
}
