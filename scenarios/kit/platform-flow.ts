import { ApiError, ArtifactoryClient } from '../../protocol/clients/index.ts';
import type { FaultPlan } from '../../simulator/faults/plan.ts';
import type { Platform } from '../../simulator/platform.ts';
import type { EdgeUnderTest } from '../targets/target.ts';
import { sha256 } from './bundles.ts';
import type { ScenarioContext } from './context.ts';
import { expect } from './expect.ts';

/**
 * The platform flow as scenarios drive it (simulator/README.md): files deployed to the simulated
 * source, a bundle Distribution builds from AQL with a path mapping and added props and signs,
 * Edges registered with Mission Control (which hands Distribution a circle-of-trust token for
 * each), a distribution by rules, and its tracker polled to the end. The bundle name, the target
 * repository and every file's content are unique to the run: on a shared Edge an earlier run's
 * bytes would otherwise be PRESENT already and turn an upload into a dedup claim.
 */

/** The source repository files are deployed to (each platform is fresh, so no run-unique name is needed). */
export const SOURCE_REPO = 'libs-local';
/** What every deployed file carries on the source; a bundle keeps source props (jfrog-compat.md §3.1). */
export const SOURCE_PROPS = { 'build.number': ['42'] };

export interface Site {
  edge: EdgeUnderTest;
  /** The site's name at Mission Control, which trackers show. */
  name: string;
  country: string;
}

export interface Flow {
  readonly t: ScenarioContext;
  readonly platform: Platform;
  readonly sites: readonly Site[];
  /** The bundle's name at Distribution and on the Edges. */
  readonly bundle: string;
  /** The repository on every Edge the bundle's files are mapped into. */
  readonly targetRepo: string;
}

/** A file on the source: `path` within SOURCE_REPO. */
export interface SourceFile {
  path: string;
  bytes: Buffer;
}

/** An artifact of a signed bundle, as Distribution signed it. */
export interface SignedArtifact {
  repo_path: string;
  checksum: string;
  size: number;
}

export interface DistributedBundle {
  name: string;
  version: string;
  /** The compact JWS Distribution signed. */
  jws: string;
  artifacts: SignedArtifact[];
}

export interface TrackerSite {
  status: string;
  general_error?: string;
  attempts: number;
  total_files: number;
  distributed_files: number;
  file_errors: unknown[];
  target_artifactory: { name: string; service_id: string };
}

export interface Tracker {
  status: string;
  sites: TrackerSite[];
}

/**
 * Starts the simulators (with `plan`, kept in the scenario's result), makes a target repository
 * on every Edge (the Edge under test, or `sites`) and registers each with Mission Control.
 */
export async function startFlow(t: ScenarioContext, options: { plan?: FaultPlan; sites?: { edge: EdgeUnderTest; country: string }[] } = {}): Promise<Flow> {
  const platform = await t.platform(options.plan ? { plan: options.plan } : {});
  const targetRepo = scenarioName(t, 'prod');
  const sites = (options.sites ?? [{ edge: t.edge, country: 'US' }]).map((s, i) => ({ ...s, name: `${s.country}_Edge_${i}` }));
  await t.step('register the Edges with Mission Control', async () => {
    for (const site of sites) {
      const { artifactory } = t.clients(site.edge.admin, site.edge);
      await artifactory.createRepository(targetRepo, { rclass: 'local' });
      t.defer(() => artifactory.deleteRepository(targetRepo));
      await platform.registerEdge({ name: site.name, url: `${site.edge.url}/`, countryCode: site.country });
    }
    await sourceClient(platform).createRepository(SOURCE_REPO, { rclass: 'local' });
  });
  return { t, platform, sites, bundle: scenarioName(t, 'app'), targetRepo };
}

/**
 * A name unique to the run and to the scenario. `t.name` alone is unique to the run only (its
 * counter starts again in every scenario), while an Edge keeps traces of a name after the
 * clean-up: committed transactions stay listed, and content stays deduplicated.
 */
export function scenarioName(t: ScenarioContext, base: string): string {
  return t.name(`${base}-${(t.seed >>> 0).toString(36)}`);
}

/**
 * Files for one bundle version under `folder`: a jar large enough to be sent in many chunks, a
 * pom and a text file. `salt` makes the content unique to the run (and to the call).
 */
export function releaseFiles(flow: Flow, folder: string): SourceFile[] {
  const salt = scenarioName(flow.t, 'content');
  return [
    { path: `${folder}/app.jar`, bytes: Buffer.from(`jar ${salt} `.repeat(10_000)) },
    { path: `${folder}/app.pom`, bytes: Buffer.from(`<project><version>${salt}</version></project>\n`) },
    { path: `${folder}/README.txt`, bytes: Buffer.from(`release notes ${salt}\n`) },
  ];
}

export async function deploy(flow: Flow, files: readonly SourceFile[]): Promise<void> {
  const source = sourceClient(flow.platform);
  for (const file of files) await source.deploy(`${SOURCE_REPO}/${file.path}`, file.bytes, { properties: SOURCE_PROPS });
}

/** Where the bundle puts a source file on the Edges: SOURCE_REPO mapped to the target repository. */
export function targetOf(flow: Flow, file: SourceFile): string {
  return `${flow.targetRepo}/${file.path}`;
}

/**
 * Has Distribution create `version` of the flow's bundle from an AQL query of `folder` on the
 * source, mapping SOURCE_REPO to the target repository and adding `release=<version>`, then sign
 * it; returns what it signed.
 */
export async function createBundle(flow: Flow, version: string, folder: string): Promise<DistributedBundle> {
  const created = await dist(flow, 'POST', '/release_bundle', {
    name: flow.bundle,
    version,
    dry_run: false,
    sign_immediately: false,
    description: 'edgeproof conformance flow',
    spec: {
      queries: [
        {
          query_name: 'release-files',
          aql: `items.find({"repo":"${SOURCE_REPO}","path":"${folder}"})`,
          mappings: [{ input: `^${SOURCE_REPO}/(.*)$`, output: `${flow.targetRepo}/$1` }],
          added_props: [{ key: 'release', values: [version] }],
        },
      ],
    },
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const signed = await dist(flow, 'POST', `/release_bundle/${flow.bundle}/${version}/sign`, {});
  expect(signed.status, JSON.stringify(signed.json)).toBe(200);
  return signedBundle(flow, version);
}

/** Deploys `releaseFiles` under `app/<version>` and has Distribution create and sign `version` of them. */
export async function release(flow: Flow, version = '1.0.0'): Promise<DistributedBundle> {
  const folder = `app/${version}`;
  await deploy(flow, releaseFiles(flow, folder));
  return flow.t.step(`Distribution creates and signs ${version}`, () => createBundle(flow, version, folder));
}

/** What Distribution signed as `version` of the flow's bundle: the JWS and the artifacts of its payload. */
export async function signedBundle(flow: Flow, version: string): Promise<DistributedBundle> {
  const res = await dist(flow, 'GET', `/release_bundle/${flow.bundle}/${version}?format=jws`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const { header, payload, signature } = res.json as { header: string; payload: string; signature: string };
  const { artifacts } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { artifacts: SignedArtifact[] };
  return {
    name: flow.bundle,
    version,
    jws: [header, payload, signature].join('.'),
    artifacts: artifacts.map(({ repo_path, checksum, size }) => ({ repo_path, checksum, size })),
  };
}

/**
 * Distributes `version` by `rules` (every registered site by default), polls the tracker to its
 * end and returns it. The bundle is deleted from every Edge when the scenario ends.
 */
export async function distribute(flow: Flow, version: string, rules: Record<string, unknown>[] = [{ country_codes: ['*'] }]): Promise<Tracker> {
  for (const { edge } of flow.sites) flow.t.defer(() => deleteBundle(flow.t, edge, flow.bundle, version));
  const res = await dist(flow, 'POST', `/distribution/${flow.bundle}/${version}`, {
    dry_run: false,
    auto_create_missing_repositories: false,
    distribution_rules: rules,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  return settle(flow, version, (res.json as { id: number }).id);
}

/** Polls a tracker as a client would until it leaves "In progress", then waits for the simulators' exchanges to end. */
export async function settle(flow: Flow, version: string, id: number): Promise<Tracker> {
  for (let i = 0; i < 2400; i++) {
    const tracker = (await dist(flow, 'GET', `/release_bundle/${flow.bundle}/${version}/distribution/${id}`)).json as Tracker;
    if (tracker.status !== 'In progress') {
      await flow.platform.recorder.settled();
      return tracker;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`tracker ${id} of ${flow.bundle}/${version} is still In progress after a minute`);
}

/** Distribution's REST API (base `/distribution/api/v1`), as the admin. */
export async function dist(flow: Flow, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${flow.platform.urls.distribution}/distribution/api/v1${path}`, {
    method,
    headers: { authorization: flow.platform.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

/** A file as the Edge serves it: status, and the SHA-256 and length of the body. */
export async function download(t: ScenarioContext, edge: EdgeUnderTest, repoPath: string): Promise<{ status: number; sha256: string; size: number }> {
  const res = await t.http('GET', `/artifactory/${repoPath}`, {}, edge);
  return { status: res.status, sha256: sha256(res.body), size: res.body.length };
}

/** EDP-PUB-2: every artifact downloads from `edge` with exactly the signed SHA-256 and size. */
export async function expectPublished(t: ScenarioContext, edge: EdgeUnderTest, artifacts: readonly SignedArtifact[]): Promise<void> {
  for (const a of artifacts) expect(await download(t, edge, a.repo_path), a.repo_path).toEqual({ status: 200, sha256: a.checksum, size: a.size });
}

/** EDP-PUB-1: nothing of the bundle is visible on `edge`: no file, no listed bundle, no bundle read. */
export async function expectNothingPublished(t: ScenarioContext, edge: EdgeUnderTest, bundle: DistributedBundle): Promise<void> {
  for (const a of bundle.artifacts) expect((await download(t, edge, a.repo_path)).status, a.repo_path).toBe(404);
  const { edp } = t.clients(edge.admin, edge);
  expect(Object.keys(await edp.bundles())).not.toContain(bundle.name);
  const read = await t.http('GET', `/artifactory/api/release/bundles/${bundle.name}/${bundle.version}`, {}, edge);
  expect(read.status, read.text).toBe(404);
}

async function deleteBundle(t: ScenarioContext, edge: EdgeUnderTest, name: string, version: string): Promise<void> {
  try {
    await t.clients(edge.admin, edge).edp.deleteBundle(name, version);
  } catch (error) {
    // A scenario that ends before (or without) publishing leaves nothing to delete.
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
}

/** The source Artifactory's REST API, as its admin. */
export function sourceClient(platform: Platform): ArtifactoryClient {
  return new ArtifactoryClient({ url: platform.urls.source, credentials: { authorization: platform.admin } });
}
