import { Hono } from 'hono';

/** jfrog-compat.md §4: `GET /mc/api/v1/system/ping` answers the text `OK`. A probe: no credentials. */
export function systemRoutes(): Hono {
  const app = new Hono();
  app.get('/ping', (c) => c.text('OK'));
  return app;
}
