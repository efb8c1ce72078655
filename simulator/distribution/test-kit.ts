import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { readPublicKey } from '../../protocol/bundle/index.ts';
import { EDP_BASE as EDP, edpPaths, RELEASE_BUNDLES, TRUSTED_KEYS, trustedKeyJson, type Transaction } from '../../protocol/wire/edp.ts';
import { SOURCE_PUSH, SOURCE_STORE } from '../../protocol/wire/source-bundles.ts';
import { fixturePublicKey, fixtureSecretKey } from '../../fixtures/keys/index.ts';
import { plainContext, type Outbound } from '../core/service.ts';
import { createMissionControl, type MissionControl } from '../mission-control/index.ts';
import { createDistribution, type Distribution, type RetryPolicy } from './index.ts';
import type { PushRequest } from './source.ts';

/**
 * Test support for the Distribution and Mission Control simulators: an in-process router
 * standing in for the network, a tiny source Artifactory (AQL, storage, store, push) and a tiny
 * EDP Edge. Not the real source simulator (simulator/source): these tests must not depend on it.
 */

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const edpError = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response =>
  json(status, { errors: [{ ...extra, status, message, code }] });

/** A fault: answers instead of the target (a Response), lets the call through (undefined), or throws/rejects (no answer). */
export type Fault = (request: Request) => Response | Promise<Response> | undefined;

/** What a refused or reset connection looks like to fetch's caller. */
export function connectionReset(): never {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
}

/** A fault that fires the first `times` calls matching `matches`. */
export function times(count: number, matches: (request: Request) => boolean, answer: (request: Request) => Response | Promise<Response>): Fault {
  let left = count;
  return (request) => {
    if (left <= 0 || !matches(request)) return undefined;
    left--;
    return answer(request);
  };
}

/** Routes by origin to in-process handlers; faults first; unknown origins go to `fallback`. */
export function router(fallback: Outbound = () => connectionReset()) {
  const routes = new Map<string, Outbound>();
  const faults: Fault[] = [];
  const calls: string[] = [];
  const fetch: Outbound = async (request) => {
    calls.push(`${request.method} ${request.url}`);
    for (const fault of faults) {
      const answer = await fault(request);
      if (answer) return answer;
    }
    const handler = routes.get(new URL(request.url).origin);
    return handler ? handler(request) : fallback(request);
  };
  return { routes, faults, calls, fetch };
}

export interface SourceFile {
  repoPath: string;
  bytes: Buffer;
  props?: Record<string, string[]>;
}

interface StoredBundle {
  name: string;
  version: string;
  jws: string;
  artifacts: { source_repo_path: string; target_repo_path: string; checksum: string }[];
}


/**
 * A source Artifactory with a few files in memory. AQL honours only `"repo":"<key>"`; push
 * PUTs each file to the Edge's EDP file endpoint through `fetch` (real sockets in the e2e test)
 * and reports what the Edge answered. `corruptNext(path)` flips a byte of the next upload.
 */
export function fakeSource(files: SourceFile[], fetch: Outbound) {
  const stored = new Map<string, StoredBundle>();
  const pushes: PushRequest[] = [];
  const corrupt = new Map<string, number>();
  const app = new Hono();
  const byPath = (repoPath: string) => files.find((f) => f.repoPath === repoPath);

  app.post('/artifactory/api/search/aql', async (c) => {
    const aql = await c.req.text();
    const repo = /"repo"\s*:\s*"([^"]+)"/.exec(aql)?.[1];
    const results = files
      .filter((f) => repo === undefined || f.repoPath.startsWith(`${repo}/`))
      .map((f) => {
        const [r = '', ...rest] = f.repoPath.split('/');
        const name = rest.pop() ?? '';
        return { repo: r, path: rest.length ? rest.join('/') : '.', name, type: 'file' };
      });
    return c.json({ results });
  });

  app.get('/artifactory/api/storage/*', (c) => {
    const repoPath = decodeURIComponent(c.req.path.slice('/artifactory/api/storage/'.length));
    const file = byPath(repoPath);
    if (!file) return edpError(404, 'NOT_FOUND', 'Unable to find item');
    if (c.req.query('properties') !== undefined) {
      return file.props ? c.json({ properties: file.props }) : edpError(404, 'NOT_FOUND', 'No properties could be found.');
    }
    return c.json({ repo: repoPath.split('/')[0], path: repoPath, size: String(file.bytes.length), checksums: { sha256: sha256(file.bytes) } });
  });

  app.post(SOURCE_STORE, async (c) => {
    const body = await c.req.json<StoredBundle>();
    stored.set(`${body.name}/${body.version}`, body);
    return c.json({ name: body.name, version: body.version }, 201);
  });

  app.post(SOURCE_PUSH, async (c) => {
    const request = await c.req.json<PushRequest>();
    pushes.push(request);
    const bundle = stored.get(`${request.name}/${request.version}`);
    if (!bundle) return edpError(404, 'NOT_FOUND', 'bundle not stored');
    const reports = [];
    for (const target of request.files) {
      const artifact = bundle.artifacts.find((a) => a.target_repo_path === target);
      const file = artifact && byPath(artifact.source_repo_path);
      if (!artifact || !file) return edpError(400, 'INVALID_BODY', `${target} is not in the bundle`);
      let bytes = file.bytes;
      const left = corrupt.get(target) ?? 0;
      if (left > 0) {
        corrupt.set(target, left - 1);
        bytes = Buffer.from(bytes);
        bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      }
      const url = `${request.edge_url}${edpPaths.file(request.transaction_id, target)}`;
      try {
        const res = await fetch(new Request(url, { method: 'PUT', headers: { authorization: request.authorization, 'x-checksum-sha256': artifact.checksum }, body: bytes }));
        const answer = (await res.json().catch(() => ({}))) as { errors?: { code?: string; message?: string }[] };
        reports.push({ repo_path: target, status: res.status, code: answer.errors?.[0]?.code, message: answer.errors?.[0]?.message, bytes_sent: bytes.length, method: 'upload' });
      } catch (err) {
        reports.push({ repo_path: target, status: 0, message: String(err), bytes_sent: 0, method: 'upload' });
      }
    }
    const ok = reports.filter((r) => r.status >= 200 && r.status < 300);
    return c.json({ files: reports, transferred_files: ok.length, transferred_bytes: ok.reduce((s, r) => s + r.bytes_sent, 0) });
  });

  return {
    app,
    stored,
    pushes,
    corruptNext: (repoPath: string, count = 1) => corrupt.set(repoPath, count),
  };
}

interface FakeTx extends Transaction {
  payload: string;
}

/**
 * A minimal EDP Edge (docs/protocol.md §3): trusted keys by kid, transactions (same payload →
 * same transaction), checksum-verified uploads, commit, bundle delete. No signature check: the
 * real Edge does that in the e2e test.
 */
export function fakeEdge(serviceId: string, admin: string) {
  const trusted = new Map<string, string>();
  const transactions = new Map<string, FakeTx>();
  const bundles = new Set<string>();
  const app = new Hono();
  app.use('*', async (c, next) => {
    const given = c.req.header('authorization');
    if (c.req.path.endsWith('/system/ping') && given === undefined) return c.text('OK');
    if (given !== admin) return edpError(401, 'BAD_CREDENTIALS', 'Bad credentials');
    await next();
  });
  app.get('/artifactory/api/system/ping', (c) => c.text('OK'));
  app.get('/artifactory/api/system/service_id', (c) => c.text(serviceId));
  // Only the kid matters here; the rest of each entry is a placeholder of the right type.
  const listed = (alias: string, kid: string) => trustedKeyJson(alias, { kid, fingerprint: '', issued: 0, issuedBy: '', expiry: 0 });
  app.get(TRUSTED_KEYS, (c) => c.json({ keys: [...trusted].map(([alias, kid]) => listed(alias, kid)) }));
  app.post(TRUSTED_KEYS, async (c) => {
    const { alias, public_key } = await c.req.json<{ alias: string; public_key: string }>();
    const key = await readPublicKey(public_key, Date.now());
    const { kid } = key;
    if (trusted.has(alias) || [...trusted.values()].includes(kid)) return edpError(409, 'KEY_DUPLICATE', `Key ${kid} or alias ${alias} is already trusted.`);
    trusted.set(alias, kid);
    return c.json(trustedKeyJson(alias, { ...key, issued: key.created }), 201);
  });
  app.post(`${EDP}/transactions`, async (c) => {
    const { bundle } = await c.req.json<{ bundle: string }>();
    const [header = '', payload = ''] = bundle.split('.');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
    if (![...trusted.values()].includes(kid)) return edpError(403, 'EDP_UNTRUSTED_KEY', `Bundle signing key ${kid} is not trusted.`, { kid });
    const existing = [...transactions.values()].find((tx) => tx.payload === payload);
    if (existing) return c.json(existing, 200);
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { name: string; version: string; artifacts: { repo_path: string; checksum: string; size: number }[] };
    const tx: FakeTx = {
      id: `tx-${transactions.size + 1}`,
      state: 'OPEN',
      payload,
      name: body.name,
      version: body.version,
      expires_at: '2100-01-01T00:00:00.000Z',
      files: body.artifacts.map((a) => ({ repo_path: a.repo_path, checksum: a.checksum, size: a.size, state: 'MISSING' })),
    };
    transactions.set(tx.id, tx);
    return c.json(tx, 201);
  });
  app.get(`${EDP}/transactions/:id`, (c) => {
    const tx = transactions.get(c.req.param('id'));
    return tx ? c.json(tx) : edpError(404, 'EDP_TX_UNKNOWN', 'unknown transaction');
  });
  app.put(`${EDP}/transactions/:id/files/*`, async (c) => {
    const tx = transactions.get(c.req.param('id'));
    if (!tx) return edpError(404, 'EDP_TX_UNKNOWN', 'unknown transaction');
    const repoPath = decodeURIComponent(c.req.path.slice(`${EDP}/transactions/${tx.id}/files/`.length));
    const file = tx.files.find((f) => f.repo_path === repoPath);
    if (!file) return edpError(404, 'EDP_FILE_NOT_IN_BUNDLE', `${repoPath} is not in the bundle`);
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (sha256(bytes) !== file.checksum) return edpError(409, 'EDP_CHECKSUM_MISMATCH', `${repoPath}: received sha256 ${sha256(bytes)}, expected ${file.checksum}`);
    file.state = 'PRESENT';
    return c.json(file, 201);
  });
  app.post(`${EDP}/transactions/:id/commit`, (c) => {
    const tx = transactions.get(c.req.param('id'));
    if (!tx) return edpError(404, 'EDP_TX_UNKNOWN', 'unknown transaction');
    if (tx.state !== 'OPEN') return edpError(409, 'EDP_TX_CLOSED', 'transaction is not open');
    const missing = tx.files.filter((f) => f.state !== 'PRESENT').map((f) => f.repo_path);
    if (missing.length) return edpError(409, 'EDP_INCOMPLETE', `${missing.length} files are missing`, { missing });
    tx.state = 'COMMITTED';
    tx.expires_at = null;
    bundles.add(`${tx.name}/${tx.version}`);
    return c.json({ state: 'COMMITTED', bundle: { name: tx.name, version: tx.version, created: '2026-01-01T00:00:00.000Z', status: 'COMPLETE' } });
  });
  app.delete(`${RELEASE_BUNDLES}/:name/:version`, (c) => {
    const key = `${c.req.param('name')}/${c.req.param('version')}`;
    if (!bundles.delete(key)) return edpError(404, 'EDP_BUNDLE_UNKNOWN', `No release bundle ${key}.`);
    return c.body(null, 204);
  });
  return { app, trusted, transactions, bundles };
}

export type FakeEdge = ReturnType<typeof fakeEdge>;

export const ADMIN = { user: 'admin', password: 'dist-password' };
export const DIST_AUTH = basic(ADMIN.user, ADMIN.password);
export const MC_AUTH = basic('mc-admin', 'mc-password');
export const EDGE_AUTH = basic('admin', 'edge-password');

export interface SiteSpec {
  name: string;
  city: string;
  country: string;
  license?: string;
}

/**
 * A whole platform in one process: real Mission Control and Distribution simulators, a fake
 * source and one fake Edge per site (`http://<name>.edge.test`), all wired through one router.
 */
export async function platform(sites: SiteSpec[], files: SourceFile[], retry: Partial<RetryPolicy> = {}) {
  const net = router();
  const mc = createMissionControl(plainContext('mission-control', { fetch: net.fetch }), { adminUser: 'mc-admin', adminPassword: 'mc-password' });
  net.routes.set('http://mc.test', async (r) => mc.app.fetch(r));
  const source = fakeSource(files, net.fetch);
  net.routes.set('http://source.test', async (r) => source.app.fetch(r));
  const edges = new Map<string, FakeEdge>();
  for (const site of sites) {
    const edge = fakeEdge(`jfrt@${site.name.toLowerCase().replace(/[^a-z0-9]/g, '')}`, EDGE_AUTH);
    edges.set(site.name, edge);
    net.routes.set(siteUrl(site.name), async (r) => edge.app.fetch(r));
    await registerSite(mc, site, siteUrl(site.name), { username: 'admin', password: 'edge-password' });
  }
  const dist = createDistribution(plainContext('distribution', { fetch: net.fetch }), {
    adminUser: ADMIN.user,
    adminPassword: ADMIN.password,
    missionControl: { url: 'http://mc.test', authorization: MC_AUTH },
    source: { url: 'http://source.test', authorization: basic('source-admin', 'x') },
    retry: { backoffMs: () => 0, sleep: async () => undefined, ...retry },
  });
  return { net, mc, source, edges, dist, call: (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => callDist(dist, method, path, body, headers) };
}

export const siteUrl = (name: string): string => `http://${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.edge.test`;

export async function registerSite(mc: MissionControl, site: SiteSpec, url: string, credentials: Record<string, string>): Promise<string> {
  const res = await mc.app.request('/mc/api/v1/jpds', {
    method: 'POST',
    headers: { authorization: MC_AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: site.name,
      url,
      location: { city_name: site.city, country_code: site.country, latitude: 1, longitude: 2 },
      licenses: [{ type: site.license ?? 'EDGE' }],
      ...credentials,
    }),
  });
  if (res.status !== 201) throw new Error(`registering ${site.name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function callDist(dist: Distribution, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await dist.app.request(`/distribution/api/v1${path}`, {
    method,
    headers: { authorization: DIST_AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T = Record<string, unknown>>() => JSON.parse(text) as T };
}

/** The fixture key pair as Distribution's key upload body. */
export function keyUpload(alias: string, extra: Record<string, unknown> = {}) {
  return {
    key: { alias, public_key: fixturePublicKey('bundle-signing'), private_key: fixtureSecretKey('bundle-signing') },
    set_as_default: true,
    ...extra,
  };
}

/** A bundle spec over one repository, mapping `<repo>/<path>` to `<target>/<path>`. */
export function bundleSpec(name: string, version: string, repo: string, target: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    version,
    description: `bundle ${name}`,
    spec: { queries: [{ aql: `items.find({"repo":"${repo}"})`, mappings: [{ input: `${repo}/(.*)`, output: `${target}/$1` }], added_props: [{ key: 'release', values: [version] }] }] },
    ...extra,
  };
}
