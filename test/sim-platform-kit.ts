import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { simulatorIdentity } from '../fixtures/keys/index.ts';
import { startPlatform, type Platform, type PlatformOptions } from '../simulator/platform.ts';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { clientsOf, startEdge, type RunningEdge } from './edge-harness.ts';

/**
 * The issue-#5 flow over real sockets: the simulated platform, Edges that trust its identity,
 * files deployed to the source, a bundle built from AQL with a path mapping and added props,
 * signed, its key propagated, distributed by country code, and the tracker polled to its end.
 */

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface SourceFile {
  path: string;
  bytes: Buffer;
}

export const SOURCE_FILES: SourceFile[] = [
  { path: 'app/1.0.0/app-1.0.0.jar', bytes: Buffer.from('jar '.repeat(40_000)) },
  { path: 'app/1.0.0/app-1.0.0.pom', bytes: Buffer.from('<project><version>1.0.0</version></project>\n') },
  { path: 'app/1.0.0/README.txt', bytes: Buffer.from('release notes for 1.0.0\n') },
];

export interface Site {
  edge: RunningEdge;
  name: string;
  country: string;
}

export interface Flow {
  platform: Platform;
  sites: Site[];
  dist(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; headers: Headers }>;
  close(): Promise<void>;
}

export async function startFlow(options: Partial<PlatformOptions> & { countries?: string[] } = {}): Promise<Flow> {
  const platform = await startPlatform({ identity: simulatorIdentity(), retry: { retries: 4, backoffMs: () => 10 }, ...options });
  const countries = options.countries ?? ['US', 'DE'];
  const edges = await Promise.all(countries.map(() => startEdge()));
  const sites = edges.map((edge, i) => ({ edge, name: `${countries[i]}_Edge_${i}`, country: countries[i] as string }));
  const dist = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${platform.urls.distribution}/distribution/api/v1${path}`, {
      method,
      headers: { authorization: platform.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
  };
  for (const site of sites) {
    // Circle of trust: the Edge trusts the simulators' certificate, Mission Control holds a token.
    const trust = await clientsOf(site.edge).access.trustCertificate('edgeproof-sim', platform.accessCertificatePem);
    expect(trust.replaced).toBe(false);
    await platform.registerEdge({ name: site.name, url: `${site.edge.url}/`, countryCode: site.country });
  }
  await deployToSource(platform);
  return {
    platform,
    sites,
    dist,
    async close() {
      await platform.close();
      await Promise.all(edges.map((e) => e.close()));
    },
  };
}

async function deployToSource(platform: Platform): Promise<void> {
  const source = new ArtifactoryClient({ url: platform.urls.source, credentials: { authorization: platform.admin } });
  await source.createRepository('libs-local', { rclass: 'local' });
  for (const file of SOURCE_FILES) await source.deploy(`libs-local/${file.path}`, file.bytes, { properties: { 'build.number': ['42'] } });
}

/** Creates and signs `app/<version>` from AQL, mapping libs-local/* to prod-local/*, adding props. */
export async function createSignedBundle(flow: Flow, version: string): Promise<void> {
  const created = await flow.dist('POST', '/release_bundle', {
    name: 'app',
    version,
    dry_run: false,
    sign_immediately: false,
    description: 'edgeproof flow',
    spec: {
      queries: [
        {
          query_name: 'app-files',
          aql: 'items.find({"repo":"libs-local","path":{"$match":"app/*"}})',
          mappings: [{ input: '^libs-local/(.*)$', output: 'prod-local/$1' }],
          added_props: [{ key: 'release', values: [version] }],
        },
      ],
    },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const signed = await flow.dist('POST', `/release_bundle/app/${version}/sign`, {});
  expect(signed.status, JSON.stringify(signed.json)).toBe(200);
  expect(signed.headers.get('x-checksum-sha256')).toMatch(/^[0-9a-f]{64}$/);
}

export interface TrackerSite {
  status: string;
  general_error?: string;
  attempts?: number;
  distributed_files: number;
  total_files: number;
  target_artifactory: { name: string };
}

export interface Tracker {
  status: string;
  sites: TrackerSite[];
}

/** Polls a tracker as a client would, until it leaves "In progress". */
export async function settle(flow: Flow, version: string, id: unknown): Promise<Tracker> {
  for (let i = 0; i < 1200; i++) {
    const tracker = (await flow.dist('GET', `/release_bundle/app/${version}/distribution/${String(id)}`)).json as Tracker;
    if (tracker.status !== 'In progress' && tracker.status !== 'In queue' && tracker.status !== 'Not distributed') return tracker;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`tracker ${String(id)} still in progress`);
}

export async function distribute(flow: Flow, version: string, countries: string[]): Promise<Tracker> {
  const res = await flow.dist('POST', `/distribution/app/${version}`, {
    dry_run: false,
    auto_create_missing_repositories: true,
    distribution_rules: [{ country_codes: countries }],
  });
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  return settle(flow, version, (res.json as { id: unknown }).id);
}

export { downloadDigest as download } from './edge-harness.ts';
