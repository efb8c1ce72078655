import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEdge, parseConfig, routeTable, type Action, type RouteAccess } from '../edge/index.ts';
import { startEdge, type RawResponse } from './edge-harness.ts';
import { call } from './edge-calls.ts';
import { codeOf } from './trust-fixtures.ts';
import { buildWorld, hiddenDigest, stateDigest, type Identity, type World } from './authz-world.ts';
import { PINNED_ACCESS, ROUTE_EXAMPLES, examplesFor, pinnedAccessOf, type Case, type Example, type Target } from './authz-routes.ts';

/**
 * EDGE-AUTH-7: the authorization matrix. Every route of the Edge (from its route table) is
 * called by every identity over HTTP — anonymous with anonymous access off and on, a reader
 * limited by patterns, an uploads deployer, a plain user, the admin, a circle-of-trust token
 * with a groups scope, the distributing identity, an expired and a revoked token. Each route
 * must declare the access pinned for it in test/authz-routes.ts (PINNED_ACCESS), and each
 * answer must be the status that pinned access implies for that identity (by the test's own
 * model of its permissions; never computed from the route's own declaration), a refused request must leave the Edge's state as it was, no
 * request may change an item or property the identity may not read, and no answer may show
 * an identity something it may not read (the leak oracle).
 */

const worlds: World[] = await Promise.all([
  startEdge().then((edge) => buildWorld(edge, false)),
  startEdge({ anonymousAccess: true }).then((edge) => buildWorld(edge, true)),
]);
afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
});

const routes = routeTable((worlds[0] as World).edge.edge.app);
const callers = worlds.flatMap((world) => world.identities.map((who) => ({ world, who })));
const requests = routes.reduce((sum, route) => sum + (examplesFor(route.method, route.url)?.length ?? 0), 0) * callers.length;

/** The status the pinned access implies for this identity and request. */
function expected(access: RouteAccess, who: Identity, anonymousAccess: boolean, ex: Example): number {
  if (who.refused) return 401;
  const may = (action: Action, target: Target | undefined) => target !== undefined && who.may(action, target.repo, target.path, target.folder);
  const signedOut = who.anonymous;
  switch (access) {
    case 'public':
      return ex.ok;
    case 'reader':
      return signedOut && !anonymousAccess ? 401 : ex.ok;
    case 'user':
      return signedOut ? 401 : who.admin || who.user !== undefined ? ex.ok : 403;
    case 'signedIn':
      return signedOut ? 401 : ex.ok;
    case 'own':
      return signedOut ? 401 : ex.owner === undefined || who.admin || ex.owner === who.user ? ex.ok : 404;
    case 'admin':
    case 'distributor':
      return signedOut ? 401 : who.admin ? ex.ok : 403;
    case 'read':
      if (signedOut && !anonymousAccess) return 401;
      return (ex.on ?? []).every((target) => may('read', target)) ? ex.ok : 404;
    case 'deploy':
      if (signedOut) return 401;
      if (!may('write', ex.on?.[0]) || (ex.overwrite && !may('delete', ex.on?.[0]))) return 403;
      return ex.from && !may('read', ex.from) ? 404 : ex.ok;
    case 'delete':
    case 'annotate':
      return signedOut ? 401 : may(access, ex.on?.[0]) ? ex.ok : 403;
    case 'copy':
    case 'move':
      if (signedOut) return 401;
      if (!may('write', ex.to)) return 403;
      if (!may('read', ex.from)) return 404;
      return access === 'move' && !may('delete', ex.from) ? 403 : ex.ok;
  }
}

/** The code a refusal must carry, where one code is right for it. */
function expectedCode(status: number, who: Identity): string | undefined {
  if (status === 401) return who.refused ?? 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  return undefined;
}

let counter = 0;

async function runCase(world: World, who: Identity, method: string, access: RouteAccess, ex: Example): Promise<string[]> {
  const c: Case = { world, who, n: ++counter, vars: {} };
  c.vars = (await ex.setup?.(c)) ?? {};
  const path = ex.path(c);
  const json = ex.json?.(c);
  const body = ex.body?.(c);
  const want = expected(access, who, world.anonymousAccess, ex);
  // Refusals and reads must change nothing at all; allowed writes nothing the caller may not read.
  const unchanged = want >= 400 || ((method === 'GET' || method === 'HEAD') && !ex.records);
  const before = unchanged ? stateDigest(world) : hiddenDigest(world, who);
  const headers = ex.headers?.(c) ?? {};
  const res: RawResponse = await call(world.edge, method, path, {
    auth: who.auth,
    headers,
    ...(json !== undefined ? { json } : {}),
    ...(body !== undefined ? { body } : {}),
  });
  const after = unchanged ? stateDigest(world) : hiddenDigest(world, who);
  await ex.cleanup?.(c);

  const problems: string[] = [];
  if (res.status !== want) problems.push(`answered ${res.status} where '${access}' implies ${want}: ${res.text.slice(0, 200)}`);
  const code = res.status === ex.ok && ex.code !== undefined ? ex.code : expectedCode(res.status, who);
  if (res.status === want && code !== undefined && method !== 'HEAD' && edgeCodeOf(res) !== code) problems.push(`refused with ${edgeCodeOf(res)}, not ${code}`);
  if (before !== after) problems.push(unchanged ? "changed the Edge's state" : 'changed items or properties it may not read');
  // The leak oracle: what the caller may not read appears nowhere in the answer (unless they sent it).
  const sent = `${path}\n${JSON.stringify(headers)}\n${JSON.stringify(json ?? '')}\n${body?.toString() ?? ''}`;
  const seen = `${JSON.stringify(res.headers)}\n${res.text}`;
  for (const sensitive of world.sensitive) {
    if (sensitive.visible(who)) continue;
    for (const value of sensitive.values) if (!sent.includes(value) && seen.includes(value)) problems.push(`shows ${sensitive.what} ('${value.slice(0, 20)}')`);
  }
  return problems.map(
    (problem) => `${method} ${path.slice(0, 120)} [${ex.what}] as ${who.name}${world.anonymousAccess ? ' on the anonymous-access Edge' : ''}: ${problem}`,
  );
}

/** The Edge's code of a refusal: the registry API answers with the spec's code and keeps the Edge's in `detail.edgeCode` (EDGE-OCI-6). */
function edgeCodeOf(res: RawResponse): string | number {
  try {
    const edgeCode = (res.json() as { errors?: { detail?: { edgeCode?: string } }[] }).errors?.[0]?.detail?.edgeCode;
    if (edgeCode !== undefined) return edgeCode;
  } catch {
    // not JSON: codeOf says so
  }
  return codeOf(res);
}

/** Requirement IDs each group of routes carries, for the test titles. */
function requirementsOf(url: string): string {
  if (url.startsWith('/artifactory/api/edp/v1')) return 'EDP-TX-1';
  if (url.startsWith('/artifactory/api/release/bundles')) return 'EDP-PUB-5, EDP-PUB-6, EDP-PUB-7, EDP-PUB-8, EDGE-AUTH-5';
  if (url.startsWith('/artifactory/api/security/keys')) return 'EDP-KEY-1';
  if (url.startsWith('/access/api/v1')) return 'EDGE-TRUST-2, EDGE-TRUST-5, EDGE-TRUST-16';
  if (url.includes('/security/') || url.startsWith('/artifactory/api/repositories/')) return 'EDGE-AUTH-4';
  if (url.includes('/system/') || url === '/artifactory/api/repositories') return 'EDGE-AUTH-2';
  if (url.startsWith('/artifactory/api/npm/') || url.startsWith('/artifactory/api/pypi/')) return 'EDGE-PKG-2, EDGE-PKG-5, EDGE-AUTH-5';
  if (url.startsWith('/v2/') || url.startsWith('/artifactory/api/docker/')) return 'EDGE-OCI-1, EDGE-OCI-2, EDGE-OCI-8, EDGE-AUTH-5';
  return 'EDGE-AUTH-3, EDGE-AUTH-5, EDGE-AUTH-6, EDGE-ART-4';
}

describe(`EDGE-AUTH-7: authorization matrix, ${routes.length} routes × ${callers.length} identities = ${routes.length * callers.length} cases (${requests} requests)`, () => {
  it('EDGE-AUTH-7: every route declares what it needs and has examples here; every example names a route the Edge has', () => {
    const declared = new Set(routes.map((route) => `${route.method} ${route.url}`));
    const untried = routes.filter((route) => examplesFor(route.method, route.url) === undefined).map((route) => `${route.method} ${route.url}`);
    expect(untried, 'routes without examples in test/authz-routes.ts').toEqual([]);
    expect(
      Object.keys(ROUTE_EXAMPLES).filter((key) => !declared.has(key)),
      'examples for routes the Edge does not have',
    ).toEqual([]);
    expect(
      Object.keys(PINNED_ACCESS).filter((key) => !declared.has(key)),
      'pinned access for routes the Edge does not have',
    ).toEqual([]);
    console.log(`authorization matrix: ${routes.length} routes × ${callers.length} identities = ${routes.length * callers.length} cases, ${requests} requests`);
  });

  it('EDGE-AUTH-7: an Edge with a route that declares nothing fails to start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-undeclared-'));
    try {
      const config = parseConfig({ port: 0, dataDir, adminPassword: 'admin-password-for-tests', logLevel: 'silent' });
      const undeclared = async (app: import('fastify').FastifyInstance) => {
        app.get('/artifactory/api/undeclared', async () => 'open to all');
      };
      await expect(createEdge(config, { routes: [undeclared] })).rejects.toThrow(/GET \/artifactory\/api\/undeclared declares no access/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  for (const route of routes) {
    it(`${requirementsOf(route.url)}, EDGE-AUTH-7: ${route.method} ${route.url} (${route.access}) × ${callers.length} identities`, async () => {
      // The expectations come from the access pinned in test/authz-routes.ts, never from the
      // route's own declaration: a route declared too permissively fails here and below.
      const pinned = pinnedAccessOf(route.method, route.url);
      expect(route.access, `${route.method} ${route.url} declares '${route.access}', pinned '${pinned}' in test/authz-routes.ts PINNED_ACCESS`).toBe(pinned);
      const access = pinned as RouteAccess;
      const examples = examplesFor(route.method, route.url) ?? [];
      const problems: string[] = [];
      for (const { world, who } of callers) {
        for (const ex of examples) problems.push(...(await runCase(world, who, route.method, access, ex)));
      }
      expect(problems).toEqual([]);
    });
  }
});
