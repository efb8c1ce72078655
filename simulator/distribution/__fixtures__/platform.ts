import { Hono } from 'hono';
import { fixturePublicKey, fixtureSecretKey } from '../../../fixtures/keys/index.ts';
import { fakeEdge, type FakeEdge } from '../../__fixtures__/fake-edge.ts';
import { sha256 } from '../../__fixtures__/bytes.ts';
import { basic, edpError, router } from '../../__fixtures__/fake-network.ts';
import { plainContext, type Outbound } from '../../core/service.ts';
import { createMissionControl, type MissionControl } from '../../mission-control/index.ts';
import { createDistribution, type Distribution, type RetryPolicy } from '../index.ts';
import type { PushRequest } from '../source.ts';
import { edpPaths } from '../../../protocol/wire/edp.ts';
import { SOURCE_PUSH, SOURCE_STORE } from '../../../protocol/wire/source-bundles.ts';

/**
 * Test support for the Distribution and Mission Control simulators: a tiny source Artifactory
 * (AQL, storage, store, push) and a whole platform of fakes around the real Distribution and
 * Mission Control. Not the real source simulator (simulator/source): these tests must not
 * depend on it.
 */

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
        const res = await fetch(
          new Request(url, { method: 'PUT', headers: { authorization: request.authorization, 'x-checksum-sha256': artifact.checksum }, body: bytes }),
        );
        const answer = (await res.json().catch(() => ({}))) as { errors?: { code?: string; message?: string }[] };
        reports.push({
          repo_path: target,
          status: res.status,
          code: answer.errors?.[0]?.code,
          message: answer.errors?.[0]?.message,
          bytes_sent: bytes.length,
          method: 'upload',
        });
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
  return {
    net,
    mc,
    source,
    edges,
    dist,
    call: (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => callDist(dist, method, path, body, headers),
  };
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
    spec: {
      queries: [
        {
          aql: `items.find({"repo":"${repo}"})`,
          mappings: [{ input: `${repo}/(.*)`, output: `${target}/$1` }],
          added_props: [{ key: 'release', values: [version] }],
        },
      ],
    },
    ...extra,
  };
}
