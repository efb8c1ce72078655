import type { Hono } from 'hono';
import type { ServiceName } from '../names/services.ts';

/**
 * The shape every simulated service shares: state + transport-neutral handlers (a Hono app,
 * i.e. `fetch(Request) => Response`) + adapters (a real loopback listener, or msw handlers for
 * in-process use). Faults are applied by the adapters, never inside a service.
 */

/** An outbound HTTP call: services never use global fetch, so faults and recording can wrap it. */
export type Outbound = (request: Request) => Promise<Response>;

export interface SimContext {
  readonly name: ServiceName;
  /** Injected clock (ms since the epoch). */
  readonly now: () => number;
  /** Every request this service makes to another service or an Edge goes through here. */
  readonly fetch: Outbound;
  /** Diagnostic lines; silent by default. */
  readonly log: (line: string) => void;
}

export interface SimService {
  readonly name: ServiceName;
  readonly app: Hono;
}

export function plainContext(name: ServiceName, overrides: Partial<Omit<SimContext, 'name'>> = {}): SimContext {
  return { name, now: Date.now, fetch: (request) => fetch(request), log: () => undefined, ...overrides };
}
