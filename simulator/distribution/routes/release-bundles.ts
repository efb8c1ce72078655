import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { DEFAULT_STORING_REPO } from '../../../protocol/wire/source-bundles.ts';
import { bundleJson, defaultSigningKey, findBundle, jwsJson, removeBundle, signAndStore } from '../bundles.ts';
import type { DistributionDeps } from '../deps.ts';
import { badRequest, conflict, notFound, parseWith, readJson } from '../errors.ts';
import { resolveSpec } from '../spec/aql-query.ts';
import { createBundleBody, normaliseSpec, updateBundleBody, type UpdateBundleBody } from '../spec/bundle-body.ts';
import { bundleKey, type BundleRecord } from '../state.ts';

/** Release bundles v1 (jfrog-compat.md §3.1–§3.4) and local delete (§3.8). */
export function releaseBundleRoutes(deps: DistributionDeps): Hono {
  const { state, source } = deps;
  const app = new Hono();

  // §3.1: 201 (200 for a dry run); `X-Checksum-Sha256` when signed immediately.
  app.post('/release_bundle', async (c) => {
    const body = parseWith(createBundleBody, await readJson(c), 'release bundle');
    const key = bundleKey(body.name, body.version);
    if (state.bundles.has(key)) throw conflict(`Release bundle ${key} already exists.`);
    // Settle the signing key before anything is made, so a missing key or passphrase creates nothing.
    const signingKey = body.sign_immediately && !body.dry_run ? await defaultSigningKey(state, passphraseOf(c)) : undefined;
    const bundle: BundleRecord = {
      name: body.name,
      version: body.version,
      state: 'OPEN',
      created: deps.ctx.now(),
      createdBy: deps.options.adminUser,
      distributedBy: undefined,
      jws: undefined,
      ...(await contentOf(deps, body)),
    };
    if (body.dry_run) return c.json(bundleJson(bundle), 200);
    // Resolving the spec awaited the source: someone may have created it meanwhile.
    if (state.bundles.has(key)) throw conflict(`Release bundle ${key} already exists.`);
    state.bundles.set(key, bundle);
    if (signingKey) c.header('X-Checksum-Sha256', await signAndStore(bundle, signingKey, source));
    return c.json(bundleJson(bundle), 201);
  });

  // §3.2: only unsigned (OPEN) bundles; 200.
  app.put('/release_bundle/:name/:version', async (c) => {
    const bundle = findBundle(state, c.req.param('name'), c.req.param('version'));
    const body = parseWith(updateBundleBody, await readJson(c), 'release bundle');
    requireOpen(bundle);
    const signingKey = body.sign_immediately && !body.dry_run ? await defaultSigningKey(state, passphraseOf(c)) : undefined;
    const content = await contentOf(deps, body);
    if (body.dry_run) return c.json(bundleJson({ ...bundle, ...content }), 200);
    requireOpen(bundle);
    Object.assign(bundle, content);
    if (signingKey) c.header('X-Checksum-Sha256', await signAndStore(bundle, signingKey, source));
    return c.json(bundleJson(bundle), 200);
  });

  // §3.3: body `{"storing_repository"}` (optional), X-GPG-PASSPHRASE; 200 with X-Checksum-Sha256.
  app.post('/release_bundle/:name/:version/sign', async (c) => {
    const bundle = findBundle(state, c.req.param('name'), c.req.param('version'));
    const body = parseWith(signBody, (await readJson(c)) ?? {}, 'sign request');
    const signingKey = bundle.state === 'OPEN' ? await defaultSigningKey(state, passphraseOf(c)) : undefined;
    if (bundle.state === 'OPEN' && body.storing_repository) bundle.storingRepository = body.storing_repository;
    c.header('X-Checksum-Sha256', await signAndStore(bundle, signingKey, source));
    return c.json(bundleJson(bundle), 200);
  });

  // §3.4: lists are bare arrays.
  app.get('/release_bundle', (c) => c.json([...state.bundles.values()].map(bundleJson)));

  app.get('/release_bundle/:name', (c) => c.json(versionsOf(deps, c.req.param('name')).map(bundleJson)));

  app.get('/release_bundle/:name/:version', (c) => {
    const name = c.req.param('name');
    const version = c.req.param('version');
    // §3.4: `LATEST` (reserved as a version) names the newest version.
    const bundle = version === 'LATEST' ? newest(versionsOf(deps, name)) : findBundle(state, name, version);
    const format = c.req.query('format') ?? 'json';
    if (format === 'jws') return c.json(jwsJson(bundle));
    if (format !== 'json') throw badRequest(`format must be json or jws, not ${format}.`);
    return c.json(bundleJson(bundle));
  });

  // §3.8: local delete, 204. The Edges keep their copies; their trackers go with the bundle.
  app.delete('/release_bundle/:name/:version', (c) => {
    const bundle = findBundle(state, c.req.param('name'), c.req.param('version'));
    removeBundle(state, bundle);
    return c.body(null, 204);
  });

  return app;
}

const signBody = z.object({
  storing_repository: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
    .nullable()
    .optional(),
});

/** What create and update derive from a body: the resolved artifacts and the descriptive fields. */
async function contentOf(
  deps: DistributionDeps,
  body: UpdateBundleBody,
): Promise<Pick<BundleRecord, 'storingRepository' | 'description' | 'releaseNotes' | 'spec' | 'artifacts'>> {
  const spec = normaliseSpec(body.spec);
  return {
    storingRepository: body.storing_repository ?? DEFAULT_STORING_REPO,
    description: body.description,
    releaseNotes: body.release_notes,
    spec,
    artifacts: await resolveSpec(deps.source, spec),
  };
}

function requireOpen(bundle: BundleRecord): void {
  // §3.2: "Updates an existing unsigned Release Bundle v1 version".
  if (bundle.state !== 'OPEN')
    throw conflict(`Release bundle ${bundle.name}/${bundle.version} is ${bundle.state}: only OPEN (unsigned) bundles can be updated.`);
}

function passphraseOf(c: Context): string | undefined {
  return c.req.header('X-GPG-PASSPHRASE');
}

function versionsOf(deps: DistributionDeps, name: string): BundleRecord[] {
  const versions = [...deps.state.bundles.values()].filter((b) => b.name === name);
  if (versions.length === 0) throw notFound(`Release bundle ${name} does not exist.`);
  return versions;
}

function newest(versions: BundleRecord[]): BundleRecord {
  // Insertion order breaks ties, so the later of two same-millisecond versions wins.
  return versions.reduce((latest, b) => (b.created >= latest.created ? b : latest));
}
