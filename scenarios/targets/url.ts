import { AccessClient, ApiError, ArtifactoryClient, EdpClient, NoAnswerError } from '../../protocol/clients/index.ts';
import { serverRoot } from '../../protocol/wire/urls.ts';
import { missingTrust, type ExpectedTrust } from './preinstalled-trust.ts';
import { TargetUnavailable, type BodyLimits, type Capability, type EdgeUnderTest, type Target } from './target.ts';

/**
 * Any running Edge, given its URL and an administrator's credentials (docs/vendors.md). The
 * harness cannot restart it, start another one or see its disk, and it may be shared: scenarios
 * create everything under run-unique names. `start` makes sure the suite can work with it and
 * otherwise says in one line what is wrong, within seconds, before any scenario runs.
 */

export interface UrlOptions {
  /** The server root, `http(s)://host:port` (a trailing `/artifactory` is accepted). */
  url: string;
  user: string;
  password: string;
  /**
   * With `--no-install-trust`: what the vendor must have installed beforehand; `start` lists
   * the Edge's trusted certificates and keys and names what is missing.
   */
  preinstalled?: ExpectedTrust;
  /**
   * The body limits the Edge is configured with, as its operator knows them: no Artifactory API
   * tells them, and the scenarios that send a body just past one need them (EDGE-IN-6).
   */
  limits?: Partial<BodyLimits>;
  /** How long each start-up check may wait for an answer. */
  timeoutMs?: number;
}

const CHECK_TIMEOUT_MS = 5_000;
/**
 * The one thing a url target is taken to do besides HTTP: reach the harness's loopback, as an
 * Edge on the same machine does (a smart remote's upstream is started there).
 */
const URL_CAPABILITIES: ReadonlySet<Capability> = new Set(['reach-loopback', 'direct-requests']);

export function urlTarget(options: UrlOptions): Target {
  const root = edgeRoot(options.url);
  const admin = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const limits = options.limits ?? {};
  const edge: EdgeUnderTest = { url: root, admin, limits, close: async () => undefined };
  return {
    description: { kind: 'url', label: `url ${root}`, settings: { url: root, user: options.user, ...limits } },
    capabilities: URL_CAPABILITIES,
    async start() {
      await checkEdge(root, options, admin);
      return edge;
    },
    async close() {},
  };
}

/** `http(s)://host[:port]`, from what the user typed; anything else is refused at once. */
function edgeRoot(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TargetUnavailable(`--url ${JSON.stringify(url)} is not a URL; give the Edge's server root, e.g. http://edge:8082`);
  }
  const root = serverRoot(`${parsed.origin}${parsed.pathname}`);
  // Scenarios send paths from the server root exactly as written (EDGE-IN-7 probes), so a
  // reverse proxy's path prefix cannot be added in front of them.
  if (!/^https?:$/.test(parsed.protocol) || root !== parsed.origin || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new TargetUnavailable(`--url ${url} is not an Edge's server root: give http(s)://host:port (optionally followed by /artifactory)`);
  }
  return parsed.origin;
}

async function checkEdge(root: string, options: UrlOptions, admin: string): Promise<void> {
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS;
  const call = () => ({ signal: AbortSignal.timeout(timeoutMs) });
  const clients = { url: root, credentials: { authorization: admin } };
  const artifactory = new ArtifactoryClient(clients);

  // Any Artifactory answers its ping, without credentials (jfrog-compat.md §1.8).
  let pong: string;
  try {
    pong = await new ArtifactoryClient({ url: root }).ping(call());
  } catch (error) {
    if (error instanceof NoAnswerError) throw new TargetUnavailable(`cannot reach the Edge at ${root}: ${noAnswer(error, timeoutMs)}`);
    if (error instanceof ApiError) throw new TargetUnavailable(`${root} is not an Artifactory: GET /artifactory/api/system/ping answered ${error.status}`);
    throw error;
  }
  if (pong.trim() !== 'OK')
    throw new TargetUnavailable(`${root} is not an Artifactory: GET /artifactory/api/system/ping answered ${JSON.stringify(pong.slice(0, 40))}, not OK`);

  // Listing users is an administrator's call in Artifactory; the suite creates users,
  // repositories and permission targets, so nothing less will do.
  try {
    await artifactory.users(call());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw new TargetUnavailable(
        `the Edge at ${root} refused the credentials of '${options.user}' (401${error.code ? ` ${error.code}` : ''}): check --user and --password`,
      );
    }
    if (error instanceof ApiError && error.status === 403) {
      throw new TargetUnavailable(
        `'${options.user}' is not an administrator of the Edge at ${root} (GET /artifactory/api/security/users answered 403): the suite needs admin credentials`,
      );
    }
    throw new TargetUnavailable(`the Edge at ${root} did not confirm '${options.user}' is an administrator: ${startupProblem(error, timeoutMs)}`);
  }

  if (options.preinstalled) {
    let missing: string[];
    try {
      const [certificates, keys] = await Promise.all([new AccessClient(clients).trustedCertificates(call()), new EdpClient(clients).trustedKeys(call())]);
      missing = await missingTrust(options.preinstalled, certificates.trusted, keys);
    } catch (error) {
      throw new TargetUnavailable(`cannot list what the Edge at ${root} trusts: ${startupProblem(error, timeoutMs)}`);
    }
    if (missing.length > 0) {
      throw new TargetUnavailable(`the Edge at ${root} does not trust ${missing.join(' nor ')} (--no-install-trust: pre-install them as docs/vendors.md says)`);
    }
  }
}

function startupProblem(error: unknown, timeoutMs: number): string {
  if (error instanceof NoAnswerError) return noAnswer(error, timeoutMs);
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The innermost reason no answer came (`connect ECONNREFUSED …`, `getaddrinfo ENOTFOUND …`), or the time limit. */
function noAnswer(error: NoAnswerError, timeoutMs: number): string {
  let cause: unknown = error.cause;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  return cause instanceof Error ? cause.message : error.message;
}
