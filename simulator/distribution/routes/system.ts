import { Hono } from 'hono';

/** The Distribution version we answer as: key APIs need 2.4, auto-created repositories 2.8.1 (jfrog-compat.md §3.6, §3.9). */
export const DISTRIBUTION_VERSION = '2.24.0';

/** jfrog-compat.md §0.3: ping and system info. Probes, so no credentials. */
export function systemRoutes(serviceId: string): Hono {
  const app = new Hono();
  app.get('/ping', (c) => c.json({ status_code: 200, message: 'ok' }));
  app.get('/info', (c) => c.json({ status: 'STABLE', version: DISTRIBUTION_VERSION, service_id: serviceId }));
  return app;
}
