import { Hono } from 'hono';
import { findBundle } from '../bundles.ts';
import type { DistributionDeps } from '../deps.ts';
import { deleteBody, deleteFromEdges, distribute, distributeBody } from '../distribute.ts';
import { notFound, parseWith, readJson } from '../errors.ts';
import { trackerJson, type Tracker } from '../tracker.ts';

/** Distribute (jfrog-compat.md §3.6), delete from Edges (§3.8). */
export function distributionRoutes(deps: DistributionDeps): Hono {
  const app = new Hono();

  app.post('/distribution/:name/:version', async (c) => {
    const bundle = findBundle(deps.state, c.req.param('name'), c.req.param('version'));
    const { status, body } = await distribute(deps, bundle, parseWith(distributeBody, await readJson(c), 'distribution request'));
    return c.json(body, status);
  });

  app.post('/distribution/:name/:version/delete', async (c) => {
    const bundle = findBundle(deps.state, c.req.param('name'), c.req.param('version'));
    const { status, body } = await deleteFromEdges(deps, bundle, parseWith(deleteBody, await readJson(c), 'delete request'));
    return c.json(body, status);
  });

  return app;
}

/**
 * Status (§3.7): lists are arrays, the tracker form one object. These paths overlap the
 * bundle reads (`/release_bundle/{name}/{version}`), so they are mounted first: a bundle
 * named or versioned "distribution" cannot be read by name, as with JFrog's own URL scheme.
 */
export function statusRoutes(deps: DistributionDeps): Hono {
  const app = new Hono();
  const trackers = (filter: (t: Tracker) => boolean) => deps.state.trackers.filter(filter).map(trackerJson);

  app.get('/release_bundle/distribution', (c) => c.json(trackers(() => true)));

  app.get('/release_bundle/:name/distribution', (c) => {
    const name = c.req.param('name');
    if (![...deps.state.bundles.values()].some((b) => b.name === name)) throw notFound(`Release bundle ${name} does not exist.`);
    return c.json(trackers((t) => t.name === name));
  });

  // §3.7: after the bundle is deleted this answers 404 (clients wait for that).
  app.get('/release_bundle/:name/:version/distribution', (c) => {
    const bundle = findBundle(deps.state, c.req.param('name'), c.req.param('version'));
    return c.json(trackers((t) => t.name === bundle.name && t.version === bundle.version));
  });

  app.get('/release_bundle/:name/:version/distribution/:trackerId', (c) => {
    const bundle = findBundle(deps.state, c.req.param('name'), c.req.param('version'));
    const id = c.req.param('trackerId');
    const tracker = deps.state.trackers.find((t) => String(t.id) === id && t.name === bundle.name && t.version === bundle.version);
    if (!tracker) throw notFound(`No distribution tracker ${id} for ${bundle.name}/${bundle.version}.`);
    return c.json(trackerJson(tracker));
  });

  return app;
}
