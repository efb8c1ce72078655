import type { Hono } from 'hono';
import { json, text } from '../http.ts';
import type { RouteDeps } from './deps.ts';

/** The Artifactory API level the source answers as. */
const SOURCE_ARTIFACTORY_VERSION = '7.77.0';

/**
 * jfrog-compat.md §1.8 and §0.5. Open to anyone: they are what health probes and the
 * registration of a site call before any credentials are set up.
 */
export function systemRoutes(app: Hono, { serviceId }: RouteDeps): void {
  app.get('/artifactory/api/system/ping', () => text('OK'));
  app.get('/artifactory/api/system/version', () =>
    json(
      {
        version: SOURCE_ARTIFACTORY_VERSION,
        revision: `${SOURCE_ARTIFACTORY_VERSION.replace(/\./g, '')}00`,
        addons: ['rest', 'properties', 'search', 'release-bundles'],
      },
      200,
      'application/vnd.org.jfrog.artifactory.system.Version+json',
    ),
  );
  app.get('/artifactory/api/system/service_id', () => text(serviceId));
}
