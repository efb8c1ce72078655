import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import type { SimContext, SimService } from '../core/service.ts';
import { mcErrorBody, McError, onMcError } from './errors.ts';
import { checkHealth } from './health.ts';
import { jpdRoutes } from './routes/jpds.ts';
import { systemRoutes } from './routes/system.ts';
import { emptyState, type MissionControlState } from './state.ts';

export interface MissionControlOptions {
  adminUser: string;
  adminPassword: string;
  /** When set, every JPD's health is checked this often (ms); otherwise only on demand. */
  pollIntervalMs?: number;
}

export interface MissionControl extends SimService {
  readonly name: 'mission-control';
  readonly state: MissionControlState;
  /** Checks the health of every JPD now (what a polling tick does). */
  refresh(): Promise<void>;
  /** Stops periodic polling. */
  close(): void;
}

/** The simulated Mission Control: the registry of sites (JPDs) and their health. */
export function createMissionControl(ctx: SimContext, options: MissionControlOptions): MissionControl {
  const state = emptyState();
  const app = new Hono();
  app.onError(onMcError(ctx));
  app.notFound((c) => c.json(mcErrorBody('NOT_FOUND', `No resource at ${c.req.path}.`), 404));

  app.route('/mc/api/v1/system', systemRoutes());
  app.use(
    '/mc/api/v1/*',
    basicAuth({
      username: options.adminUser,
      password: options.adminPassword,
      realm: 'Mission Control',
      invalidUserMessage: mcErrorBody('UNAUTHORIZED', 'Bad credentials'),
    }),
  );
  app.route('/mc/api/v1/jpds', jpdRoutes(ctx, state));

  const refresh = async (): Promise<void> => {
    await Promise.all([...state.jpds.values()].map((jpd) => checkHealth(ctx, jpd)));
  };
  const timer = options.pollIntervalMs === undefined ? undefined : setInterval(() => void refresh(), positive(options.pollIntervalMs));
  // A simulator's poller must never keep the process alive on its own.
  timer?.unref();

  return { name: 'mission-control', app, state, refresh, close: () => clearInterval(timer) };
}

function positive(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new McError('VALIDATION', `pollIntervalMs must be a positive number, not ${ms}.`);
  return ms;
}
