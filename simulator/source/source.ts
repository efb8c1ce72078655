import { Hono } from 'hono';
import { EdgeError } from '../../protocol/errors.ts';
import type { SimContext, SimService } from '../core/service.ts';
import { createAuth } from './auth.ts';
import { installErrorHandling } from './http.ts';
import { aqlRoutes } from './routes/aql.ts';
import { artifactRoutes } from './routes/artifacts.ts';
import { bundleRoutes } from './routes/bundles.ts';
import type { RouteDeps } from './routes/deps.ts';
import { pushRoutes } from './routes/push.ts';
import { repositoryRoutes } from './routes/repositories.ts';
import { storageRoutes } from './routes/storage.ts';
import { systemRoutes } from './routes/system.ts';
import { SourceState } from './state.ts';

export interface SourceOptions {
  adminUser: string;
  adminPassword: string;
  /** `jfrt@<ulid>` (jfrog-compat.md §0.5); a fixed one by default, so runs are reproducible. */
  serviceId?: string;
  /** Let requests without credentials read (downloads, storage API, AQL, bundle reads). */
  anonymousReads?: boolean;
}

export interface SourceService extends SimService {
  readonly name: 'source';
  readonly state: SourceState;
}

export const DEFAULT_SOURCE_SERVICE_ID = 'jfrt@01jsrc0000000000000000000s';

/**
 * The source Artifactory: holds repositories and files, answers the storage API and AQL, stores
 * signed bundles and pushes their files to Edges over EDP. Its download side also serves as the
 * smart-remote upstream an Edge pulls through (issue 5). See README.md for every endpoint.
 */
export function createSource(ctx: SimContext, options: SourceOptions): SourceService {
  const serviceId = options.serviceId ?? DEFAULT_SOURCE_SERVICE_ID;
  if (!/^jfrt@[0-9a-z]+$/i.test(serviceId)) throw new Error(`serviceId must look like jfrt@<id>, not ${serviceId}`);
  const state = new SourceState(ctx.now);
  const deps: RouteDeps = { ctx, state, auth: createAuth(options), adminUser: options.adminUser, serviceId };
  const app = new Hono();
  installErrorHandling(app, ctx.log);
  systemRoutes(app, deps);
  repositoryRoutes(app, deps);
  storageRoutes(app, deps);
  aqlRoutes(app, deps);
  bundleRoutes(app, deps);
  pushRoutes(app, deps);
  // Any other /artifactory/api/... call is not a repository named "api".
  app.all('/artifactory/api/*', () => {
    throw new EdgeError('NOT_FOUND', 'Unknown API endpoint.');
  });
  artifactRoutes(app, deps);
  return { name: 'source', app, state };
}
