import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { DistributionDeps } from '../deps.ts';
import { badGateway, conflict, notFound, parseWith, readJson } from '../errors.ts';
import { ALIAS_PATTERN, keyJson, readKeyUpload } from '../keys.ts';
import { propagateKeys, type PropagationReport } from '../propagation.ts';
import type { KeyRecord } from '../state.ts';

/**
 * GPG signing keys (jfrog-compat.md §3.9). `pgp` and `gpg` name the same key store. Keys are
 * never shown with their private part.
 */
const alias = z.string().regex(ALIAS_PATTERN, `must match ${ALIAS_PATTERN}`);
const armored = z
  .string()
  .min(1)
  .max(256 * 1024);

const uploadBody = z.object({
  key: z.object({ alias, public_key: armored, private_key: armored, passphrase: z.string().optional() }),
  propagate_to_edge_nodes: z.boolean().default(false),
  fail_on_propagation_failure: z.boolean().default(false),
  set_as_default: z.boolean().default(false),
});

const legacyBody = z.object({ public_key: armored, private_key: armored });
const renameBody = z.object({ new_alias: alias });

/** jfrog-compat.md §3.9: the legacy single-key API has no alias; we store its key under this one. */
export const LEGACY_ALIAS = 'default';

export function keyRoutes(deps: DistributionDeps): Hono {
  const { state, ctx } = deps;
  const app = new Hono();

  // Upload (and optionally propagate); `{"report":{...}}`.
  app.post('/keys/:protocol', async (c) => {
    checkProtocol(c);
    const body = parseWith(uploadBody, await readJson(c), 'key upload');
    if (state.keys.has(body.key.alias)) throw conflict(`A key with alias "${body.key.alias}" already exists.`);
    const key = await readKeyUpload(body.key, ctx.now());
    const report: PropagationReport = body.propagate_to_edge_nodes
      ? await propagateKeys(ctx, deps.mc, [key])
      : { message: 'The key was saved; propagation to Edge nodes was not requested.', status: 'PROPAGATION_NOT_REQUESTED', details: [] };
    // "fail on propagation failure": nothing is saved, and the caller hears what each Edge said.
    if (body.fail_on_propagation_failure && (report.status === 'FAILURE' || report.status === 'PARTIAL_SUCCESS')) {
      throw badGateway(`Propagation of key "${key.alias}" failed; the key was not saved.`, describeReport(report));
    }
    if (state.keys.has(key.alias)) throw conflict(`A key with alias "${key.alias}" already exists.`);
    state.keys.set(key.alias, key);
    // As JFrog: only set_as_default makes a key the signing key, also the first one (§3.9, Terraform's doc).
    if (body.set_as_default) state.defaultKeyAlias = key.alias;
    return c.json({ report });
  });

  // Legacy single key: `{"public_key","private_key"}` → 200; it becomes the default.
  app.put('/keys/:protocol', async (c) => {
    checkProtocol(c);
    const body = parseWith(legacyBody, await readJson(c), 'signing key');
    const key = await readKeyUpload({ alias: LEGACY_ALIAS, ...body }, ctx.now());
    state.keys.set(LEGACY_ALIAS, key);
    state.defaultKeyAlias = LEGACY_ALIAS;
    return c.json(keyJson(key));
  });

  // "returns public key(s)": every key, the default marked.
  app.get('/keys/:protocol', (c) => {
    checkProtocol(c);
    return c.json(
      [...state.keys.values()].map((key) => ({ ...keyJson(key), kid: key.kid, fingerprint: key.fingerprint, is_default: key.alias === state.defaultKeyAlias })),
    );
  });

  // `?alias=` one key, `?all=true` every key, otherwise the default key.
  app.post('/keys/:protocol/propagate', async (c) => {
    checkProtocol(c);
    const aliasParam = c.req.query('alias');
    const keys =
      aliasParam !== undefined
        ? [find(deps, aliasParam)]
        : c.req.query('all') === 'true'
          ? [...state.keys.values()]
          : [...state.keys.values()].filter((key) => key.alias === state.defaultKeyAlias);
    return c.json({ report: await propagateKeys(ctx, deps.mc, keys) });
  });

  app.get('/keys/:protocol/:alias', (c) => {
    checkProtocol(c);
    return c.json(keyJson(find(deps, c.req.param('alias'))));
  });

  // Renames here only: Edges keep the alias the key was propagated under.
  app.put('/keys/:protocol/:alias', async (c) => {
    checkProtocol(c);
    const key = find(deps, c.req.param('alias'));
    const { new_alias } = parseWith(renameBody, await readJson(c), 'rename');
    if (new_alias !== key.alias && state.keys.has(new_alias)) throw conflict(`A key with alias "${new_alias}" already exists.`);
    state.keys.delete(key.alias);
    if (state.defaultKeyAlias === key.alias) state.defaultKeyAlias = new_alias;
    key.alias = new_alias;
    state.keys.set(new_alias, key);
    return c.json(keyJson(key));
  });

  app.delete('/keys/:protocol/:alias', (c) => {
    checkProtocol(c);
    const key = find(deps, c.req.param('alias'));
    state.keys.delete(key.alias);
    if (state.defaultKeyAlias === key.alias) state.defaultKeyAlias = undefined;
    return c.body(null, 204);
  });

  return app;
}

function checkProtocol(c: Context): void {
  const protocol = c.req.param('protocol');
  if (protocol !== 'pgp' && protocol !== 'gpg') throw notFound(`Unknown key protocol "${protocol}": use pgp or gpg.`);
}

function find(deps: DistributionDeps, keyAlias: string): KeyRecord {
  const key = deps.state.keys.get(keyAlias);
  if (!key) throw notFound(`No key with alias "${keyAlias}".`);
  return key;
}

function describeReport(report: PropagationReport): string {
  const failures = report.details.filter((d) => d.status === 'FAILURE').map((d) => `${d.jpd_id} ${d.name}: ${d.message ?? 'failed'}`);
  return [report.message, ...failures].join(' ');
}
