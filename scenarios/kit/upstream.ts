import { Recorder, type Exchange } from '../../simulator/core/recorder.ts';
import { listen, type Listener } from '../../simulator/core/listen.ts';
import { plainContext, type SimService } from '../../simulator/core/service.ts';
import { createRelay } from '../../simulator/core/relay.ts';
import { FaultInjector } from '../../simulator/faults/injector.ts';
import { parseFaultPlan, type FaultPlanInput } from '../../simulator/faults/plan.ts';
import { createSource } from '../../simulator/source/source.ts';
import { expectError } from './assertions.ts';
import { NotApplicable, type ScenarioContext } from './context.ts';
import { raw, type RawResponse } from './http.ts';
import { basic, unlessGone, UPLOADS_REPO } from './world.ts';

/**
 * The upstream a smart remote pulls through, for scenarios: the upstream simulator, or another
 * Edge (its uploads repository holds the content), each served on loopback behind the
 * simulators' fault plan and exchange recorder, so a scenario can break exchanges, count what
 * reached the upstream, and take it down and up again on the same port.
 */

export const UPSTREAM_KINDS = ['simulator', 'edge'] as const;
export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

const SIM_USER = 'admin';
const SIM_PASSWORD = 'edgeproof-upstream-password';
const SIM_REPO = 'generic-upstream';

export interface Upstream {
  readonly kind: UpstreamKind;
  /** What a smart remote's `url` is: `<base>/artifactory/<repository>`. */
  readonly url: string;
  /** The folder of the upstream repository that is this scenario's; every path below is relative to it. */
  readonly root: string;
  /** Credentials the smart remote sends (the upstream's admin). */
  readonly credentials?: { username: string; password: string };
  /** The path of `path` on the wire, for fault plan routes and exchange counts: `/artifactory/<repository>/<root>/<path>`. */
  route(path: string): string;
  put(path: string, bytes: Buffer | string): Promise<void>;
  remove(path: string): Promise<void>;
  setProperties(path: string, properties: Record<string, string>): Promise<void>;
  /** The exchanges the upstream served for `path` (every method; storage API calls name it too), once none is in flight. */
  served(path: string, method?: string): Promise<Exchange[]>;
  /** Every exchange the upstream served so far. */
  exchanges(): Promise<readonly Exchange[]>;
  /** Replaces the fault plan from the next exchange on (no rules: no faults). */
  faultWith(rules: FaultPlanInput['rules']): void;
  /** Stops listening: connections are refused until `up`. */
  down(): Promise<void>;
  up(): Promise<void>;
}

export interface UpstreamOptions {
  /** A fault plan for the upstream's exchanges (service `upstream`, direction `inbound`); `route` names a path's wire path. */
  plan?: (route: (path: string) => string) => FaultPlanInput;
}

/** Starts an upstream of `kind`, closed when the scenario ends. The `edge` kind needs a second Edge. */
export async function startUpstream(t: ScenarioContext, kind: UpstreamKind, options: UpstreamOptions = {}): Promise<Upstream> {
  t.require('reach-loopback');
  const root = t.name('upstream');
  const origin = kind === 'simulator' ? await simulatorOrigin() : await edgeOrigin(t);
  const route = (path: string) => `/artifactory/${origin.repo}/${root}/${path}`;
  const plan = options.plan ? parseFaultPlan(options.plan(route)) : undefined;
  if (plan) t.faultPlans.push(plan);
  let faults = plan ? new FaultInjector(plan) : undefined;
  const recorder = new Recorder();
  // Read by the listener at every request, so `faultWith` takes effect from the next exchange on.
  const adapters = {
    port: 0,
    recorder,
    get faults() {
      return faults;
    },
  };
  let listener: Listener | undefined = await listen(origin.service, adapters);
  const base = listener.url;
  // Up again on the same port: the smart remote's URL stays right.
  adapters.port = Number(new URL(base).port);
  t.defer(async () => {
    await listener?.close();
    listener = undefined;
  });

  const write = async (method: string, path: string, body?: Buffer | string) => {
    const res = await origin.write(method, path, body);
    if (res.status >= 300) throw new Error(`the ${kind} upstream answered ${method} ${path} with ${res.status}: ${res.text.slice(0, 200)}`);
  };
  if (kind === 'edge') t.defer(() => unlessGone(() => write('DELETE', `/artifactory/${origin.repo}/${root}`)));

  const served = async () => {
    await recorder.settled();
    return recorder.entries().filter((e) => e.service === 'upstream' && e.direction === 'inbound');
  };
  return {
    kind,
    url: `${base}/artifactory/${origin.repo}`,
    root,
    ...(origin.credentials ? { credentials: origin.credentials } : {}),
    route,
    put: (path, bytes) => write('PUT', route(path), bytes),
    remove: (path) => write('DELETE', route(path)),
    setProperties: (path, properties) =>
      write(
        'PUT',
        `/artifactory/api/storage/${origin.repo}/${root}/${path}?properties=${Object.entries(properties)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join(';')}`,
      ),
    async served(path, method) {
      const wire = route(path).slice('/artifactory/'.length);
      return (await served()).filter((e) => e.path.endsWith(wire) && (method === undefined || e.method === method));
    },
    exchanges: served,
    async down() {
      await listener?.close();
      listener = undefined;
    },
    async up() {
      listener ??= await listen(origin.service, adapters);
    },
    faultWith(rules) {
      faults = rules.length === 0 ? undefined : new FaultInjector(parseFaultPlan({ seed: t.seed, rules }));
    },
  };
}

interface Origin {
  service: SimService;
  /** Writes content straight to the origin, past the fault plan and the recorder. */
  write(method: string, path: string, body?: Buffer | string): Promise<{ status: number; text: string }>;
  repo: string;
  credentials?: { username: string; password: string };
}

/** The upstream simulator, served here: one per scenario, anonymous reads on, its repository made. */
async function simulatorOrigin(): Promise<Origin> {
  const service = createSource(plainContext('upstream'), {
    adminUser: SIM_USER,
    adminPassword: SIM_PASSWORD,
    serviceId: 'jfrt@01jupstream00000000000000000',
    anonymousReads: true,
  });
  const write = async (method: string, path: string, body?: Buffer | string) => {
    const res = await service.app.request(path, { method, headers: { authorization: basic(SIM_USER, SIM_PASSWORD) }, ...(body === undefined ? {} : { body }) });
    return { status: res.status, text: await res.text() };
  };
  await write('PUT', `/artifactory/api/repositories/${SIM_REPO}`, JSON.stringify({ rclass: 'local' }));
  // Anonymous reads are on; the smart remote still sends the admin's credentials, as one set up for a private upstream does.
  return { service: { name: 'upstream', app: service.app }, write, repo: SIM_REPO, credentials: { username: SIM_USER, password: SIM_PASSWORD } };
}

/** Another Edge of the target's kind; its uploads repository holds the content, read with its admin's credentials. */
async function edgeOrigin(t: ScenarioContext): Promise<Origin> {
  const edge = await t.anotherEdge();
  const decoded = Buffer.from(edge.admin.replace(/^Basic /, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return {
    service: createRelay('upstream', edge.url),
    write: (method, path, body) => raw(edge.url, method, path, { headers: { authorization: edge.admin }, ...(body === undefined ? {} : { body }) }),
    repo: UPLOADS_REPO,
    credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
  };
}

/** The refusal an Edge that holds no smart remotes gives (EDGE-REPO-2): the scenario is then not applicable. */
function notHeld(res: RawResponse, kind: string): boolean {
  if (res.status !== 400) return false;
  const code = (res.json() as { errors?: { code?: string }[] }).errors?.[0]?.code;
  return code === 'REPO_CLASS_UNSUPPORTED' || (code === undefined && /not (supported|available)/i.test(res.text) && new RegExp(kind, 'i').test(res.text));
}

/**
 * Creates a smart remote repository on the Edge pulling from `upstream` (generic, with the
 * upstream's credentials), `config` on top; removed when the scenario ends. An Edge that does
 * not hold smart remotes makes the scenario not applicable.
 */
export async function smartRemote(t: ScenarioContext, upstream: Pick<Upstream, 'url' | 'credentials'>, config: Record<string, unknown> = {}): Promise<string> {
  const key = t.name('remote');
  const { contentSynchronisation, ...rest } = config as { contentSynchronisation?: Record<string, unknown> };
  const body = {
    rclass: 'remote',
    packageType: 'generic',
    url: upstream.url,
    ...(upstream.credentials ?? {}),
    ...rest,
    contentSynchronisation: { enabled: true, ...contentSynchronisation },
  };
  const res = await t.http('PUT', `/artifactory/api/repositories/${key}`, { json: body });
  if (notHeld(res, 'remote')) throw new NotApplicable(`the Edge does not hold smart remote repositories: ${res.text.slice(0, 200)}`);
  if (res.status !== 200) throw new Error(`creating the smart remote ${key} answered ${res.status}: ${res.text.slice(0, 300)}`);
  t.defer(() => unlessGone(() => t.clients().artifactory.deleteRepository(key)));
  return key;
}

/** A virtual repository over `members`, `config` on top; removed when the scenario ends. An Edge that holds no virtuals makes the scenario not applicable. */
export async function virtualRepo(t: ScenarioContext, members: string[], config: Record<string, unknown> = {}): Promise<string> {
  const key = t.name('virtual');
  const res = await t.http('PUT', `/artifactory/api/repositories/${key}`, {
    json: { rclass: 'virtual', packageType: 'generic', repositories: members, ...config },
  });
  if (notHeld(res, 'virtual')) throw new NotApplicable(`the Edge does not hold virtual repositories: ${res.text.slice(0, 200)}`);
  if (res.status !== 200) throw new Error(`creating the virtual ${key} answered ${res.status}: ${res.text.slice(0, 300)}`);
  t.defer(() => unlessGone(() => t.clients().artifactory.deleteRepository(key)));
  return key;
}

/** What a client got for a download: a complete answer, or a connection the Edge broke off mid-way. */
export type Outcome = { complete: true; res: RawResponse } | { complete: false; error: string };

/** A GET of `path` on the Edge that reports a broken-off answer instead of throwing. */
export async function attempt(t: ScenarioContext, path: string, auth?: string | null): Promise<Outcome> {
  try {
    return { complete: true, res: await t.http('GET', path, auth === undefined ? {} : { auth }) };
  } catch (error) {
    return { complete: false, error: (error as Error).message };
  }
}

/** The absent answer (EDGE-ART-3): 404 `NOT_FOUND`. */
export function expectAbsent(res: RawResponse): void {
  expectError(res, 404, 'NOT_FOUND', /./);
}

/**
 * What `remote` has cached under `folder` (path relative to it → sha256), as its deep `?list`
 * shows it; the remote must be created with `listRemoteFolderItems: false`, so the list is the
 * cache alone (EDGE-SR-13). Storage info of a single path is no test: an Edge may describe an
 * uncached file from its upstream.
 */
export async function cacheOf(t: ScenarioContext, remote: string, folder: string): Promise<Record<string, string | undefined>> {
  const res = await t.http('GET', `/artifactory/api/storage/${remote}/${folder}?list&deep=1`);
  if (res.status === 404) return {};
  if (res.status !== 200) throw new Error(`listing the cache of ${remote}/${folder} answered ${res.status}: ${res.text.slice(0, 200)}`);
  const files = (res.json() as { files: { uri: string; folder: boolean; sha2?: string }[] }).files;
  return Object.fromEntries(files.filter((f) => !f.folder).map((f) => [f.uri.slice(1), f.sha2] as const));
}

/** How many downloads of `path` (a GET of the file itself, not of the storage API) reached the upstream. */
export async function upstreamGets(upstream: Upstream, path: string): Promise<number> {
  return (await upstream.served(path, 'GET')).filter((e) => e.path === upstream.route(path)).length;
}
