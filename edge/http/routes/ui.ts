import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { lookup as mimeLookup } from 'mime-types';
import { EdgeError } from '../../../protocol/errors.ts';
import type { EdgeContext } from '../../context.ts';
import { needs } from '../route-access.ts';

/** Where `npm run build:ui` writes the web UI (ui/vite.config.ts). */
export const UI_DIST = fileURLToPath(new URL('../../../ui/dist/', import.meta.url));

type Asset = { body: Buffer; type: string };

interface BuiltUi {
  index: Buffer;
  assets: Map<string, Asset>;
  /** The conformance report's inline style and script, by hash (the build computes them from reports/html-assets.ts). */
  reportHashes: { style: string; script: string };
}

/**
 * EDGE-UI-3: the UI's own files and nothing else may load or run: no inline script, no other
 * origin; the Edge's API is the one thing it connects to. The report frame's one inline style
 * and script are allowed by hash (a srcdoc frame inherits this policy).
 */
export function uiPolicy(hashes: BuiltUi['reportHashes']): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${hashes.script}`,
    `style-src 'self' ${hashes.style}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Everything is read once, at start: a handful of small files, and no path from a request ever reaches the file system. */
async function readBuiltUi(dir: string): Promise<BuiltUi | undefined> {
  try {
    const index = await readFile(join(dir, 'index.html'));
    const reportHashes = JSON.parse(await readFile(join(dir, 'report-hashes.json'), 'utf8')) as BuiltUi['reportHashes'];
    const assets = new Map<string, Asset>();
    for (const name of await readdir(join(dir, 'assets'))) {
      assets.set(name, { body: await readFile(join(dir, 'assets', name)), type: mimeLookup(name) || 'application/octet-stream' });
    }
    return { index, assets, reportHashes };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * EDGE-UI-1: the web UI at /ui/, static files served by the Edge itself. index.html is never
 * cached (it names the current assets); assets carry a content hash in their names, so they are
 * cached for a year and never revalidated.
 */
export function uiRoutes(dir: string = UI_DIST) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    const ui = await readBuiltUi(dir);
    if (!ui) ctx.logger.info({ dir }, 'web UI not built: /ui/ answers 404 (npm run build:ui)');
    const policy = ui ? uiPolicy(ui.reportHashes) : "default-src 'none'";
    const secured = (reply: FastifyReply) =>
      reply.header('content-security-policy', policy).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    const built = (): BuiltUi => {
      if (!ui) throw new EdgeError('UI_NOT_BUILT', 'The web UI is not built on this Edge: run npm run build:ui and restart it.');
      return ui;
    };

    app.get('/ui', needs('public'), async (_request, reply) => reply.redirect('/ui/', 301));
    app.get('/ui/', needs('public'), async (_request, reply) =>
      secured(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(built().index),
    );
    app.get<{ Params: { name: string } }>('/ui/assets/:name', needs('public'), async (request, reply) => {
      const asset = built().assets.get(request.params.name);
      if (!asset) throw new EdgeError('NOT_FOUND', 'No such file in the web UI.');
      return secured(reply).header('cache-control', 'public, max-age=31536000, immutable').type(asset.type).send(asset.body);
    });
  };
}
