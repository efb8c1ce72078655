import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { AccessClient, ArtifactoryClient, EdpClient } from '../../protocol/clients/index.ts';
import type { FaultPlan } from '../../simulator/faults/plan.ts';
import { startPlatform, type Platform } from '../../simulator/platform.ts';
import type { EdgeUnderTest, Target } from '../targets/target.ts';
import type { Exchange } from './exchanges.ts';
import { expect } from './expect.ts';
import { raw, recordingFetch, type RawOptions, type RawResponse } from './http.ts';
import { TRUST_ALIASES, type Material } from './material.ts';
import type { Need } from './need.ts';

/** What a scenario is given: the Edge, recorded HTTP, typed clients, steps, the simulators. */

export interface EdgeClients {
  artifactory: ArtifactoryClient;
  access: AccessClient;
  edp: EdpClient;
}

export interface StepRecord {
  title: string;
  status: 'passed' | 'failed';
  durationMs: number;
}

export interface HttpOptions {
  /** The Authorization header: the admin's when left out, none when `null`. */
  auth?: string | null;
  headers?: Record<string, string | number>;
  body?: RawOptions['body'];
  json?: unknown;
}

/** A scenario needs what the target cannot give: reported not applicable, not failed. */
export class NotApplicable extends Error {
  override readonly name = 'NotApplicable';
}

/** A property failed; the message is fast-check's report (seed, path, counterexample). */
export class PropertyFailure extends Error {
  override readonly name = 'PropertyFailure';
  constructor(
    message: string,
    readonly original: unknown,
  ) {
    super(message);
  }
}

const STACK_TRACE = /\n\s*at \S|\bat \S+ \(|\.(?:ts|js|mjs|cjs):\d+:\d+/;

/** A smart remote's upstream failed (EDGE-SR-11): the one 5xx an Edge gives, the upstream's fault, not the client's input. */
const UPSTREAM_UNAVAILABLE = /^\{"errors":\[\{"status":502,[\s\S]*"code":"UPSTREAM_UNAVAILABLE"/;

/** EDGE-IN-7, checked on every answer a scenario gets: never a 500 (but the upstream's 502), never a stack trace. */
export function expectNoLeak(res: RawResponse, what: string): void {
  if (!(res.status === 502 && UPSTREAM_UNAVAILABLE.test(res.text)))
    expect(res.status, `${what} answered ${res.status}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.text, `${what} leaked a stack trace`).not.toMatch(STACK_TRACE);
}

export interface ContextSettings {
  edge: EdgeUnderTest;
  target: Target;
  material: Material;
  seed: number;
  runs: number;
  /** The harness may add and remove trust on the Edge (false with `--no-install-trust`). */
  installTrust: boolean;
  /** Distinguishes this run's names from any other run's on a shared Edge. */
  runTag: string;
  /** A property failure to replay: fast-check's seed and path, and the commands' replay path. */
  replay?: PropertyReplay;
}

export interface PropertyReplay {
  seed: number;
  path: string;
  replayPath?: string;
}

/** How many names each run has handed out. */
const namesPerRun = new Map<string, number>();

export class ScenarioContext {
  readonly seed: number;
  readonly runs: number;
  readonly material: Material;
  readonly exchanges: Exchange[] = [];
  readonly steps: StepRecord[] = [];
  readonly faultPlans: FaultPlan[] = [];
  /** A shrunk property counterexample, as readable steps; set by `property`. */
  counterexample: (PropertyReplay & { steps: string[] }) | undefined;
  readonly #settings: ContextSettings;
  readonly #cleanups: (() => Promise<unknown>)[] = [];
  #step: string | undefined;

  constructor(settings: ContextSettings) {
    this.#settings = settings;
    this.seed = settings.seed;
    this.runs = settings.runs;
    this.material = settings.material;
  }

  /** The Edge under test. */
  get edge(): EdgeUnderTest {
    return this.#settings.edge;
  }

  /** `base` made unique to this run, for repositories, users, bundles a scenario creates on a shared Edge. */
  name(base: string): string {
    // Counted per run, not per scenario: an Edge keeps traces of a name after cleanup
    // (committed transactions, deduplicated content), so no two scenarios of a run share one.
    const tag = this.#settings.runTag;
    const n = (namesPerRun.get(tag) ?? 0) + 1;
    namesPerRun.set(tag, n);
    return `${base}-${tag}${n}`;
  }

  /** Records an exchange, attributing it to the current step. */
  readonly record = (exchange: Omit<Exchange, 'seq' | 'step'>): void => {
    this.exchanges.push({ seq: this.exchanges.length + 1, ...(this.#step ? { step: this.#step } : {}), ...exchange });
  };

  /** One request to `edge` (the Edge under test by default), path exactly as given; checked for leaks (EDGE-IN-7). */
  async http(method: string, path: string, options: HttpOptions = {}, edge: Pick<EdgeUnderTest, 'url' | 'admin'> = this.edge): Promise<RawResponse> {
    const headers: Record<string, string | number> = { ...options.headers };
    const auth = options.auth === undefined ? edge.admin : options.auth;
    if (auth !== null) headers.authorization = auth;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    const res = await raw(edge.url, method, path, body === undefined ? { headers } : { headers, body }, this.record);
    expectNoLeak(res, `${method} ${path.slice(0, 200)}`);
    return res;
  }

  /** The typed clients, acting with `authorization` (the admin's by default), recording what they send. */
  clients(authorization: string = this.edge.admin, edge: Pick<EdgeUnderTest, 'url'> = this.edge): EdgeClients {
    const options = { url: edge.url, credentials: { authorization }, fetch: recordingFetch(this.record) };
    return { artifactory: new ArtifactoryClient(options), access: new AccessClient(options), edp: new EdpClient(options) };
  }

  /** A named step: reports show the steps, and each exchange names the step it was part of. */
  async step<T>(title: string, body: () => Promise<T>): Promise<T> {
    const outer = this.#step;
    this.#step = outer ? `${outer} › ${title}` : title;
    const started = performance.now();
    try {
      const value = await body();
      this.steps.push({ title: this.#step, status: 'passed', durationMs: performance.now() - started });
      return value;
    } catch (error) {
      this.steps.push({ title: this.#step, status: 'failed', durationMs: performance.now() - started });
      throw error;
    } finally {
      this.#step = outer;
    }
  }

  /**
   * Checks a fast-check property with the run's seed and number of runs (or, replaying, the
   * recorded seed, path and commands' replay path). `make` builds the property; it receives the
   * replay path for `fc.commands({ replayPath })`, without which model-based runs cannot replay.
   * A failure keeps the shrunk counterexample as readable steps, re-runs it once alone so the
   * result holds only its steps and exchanges, and throws fast-check's report.
   */
  async property<T>(
    make: (replay: { replayPath?: string }) => fc.IAsyncPropertyWithHooks<T>,
    describe: (counterexample: T) => string[] = (c) => [fc.stringify(c)],
  ): Promise<void> {
    const replay = this.#settings.replay;
    const started = performance.now();
    const details = await fc.check(make(replay?.replayPath ? { replayPath: replay.replayPath } : {}), {
      seed: replay?.seed ?? this.seed,
      numRuns: replay ? 1 : this.runs,
      ...(replay ? { path: replay.path, endOnFailure: true } : {}),
    });
    // Steps and exchanges of hundreds of generated runs say nothing: keep a summary, or the
    // shrunk counterexample's own.
    this.steps.length = 0;
    this.exchanges.length = 0;
    if (!details.failed) {
      // The property's own time: `npm run bench`'s harness figure divides the runs by it.
      this.steps.push({ title: `${details.numRuns} generated runs matched the model`, status: 'passed', durationMs: performance.now() - started });
      return;
    }
    const path = details.counterexamplePath ?? '';
    const shown = details.counterexample ? fc.stringify(details.counterexample) : '';
    const replayPath = /replayPath="([^"]+)"/.exec(shown)?.[1];
    await fc.check(make(replayPath ? { replayPath } : {}), { seed: details.seed, path, endOnFailure: true, numRuns: 1 });
    this.counterexample = {
      seed: details.seed,
      path,
      ...(replayPath ? { replayPath } : {}),
      steps: details.counterexample ? describe(details.counterexample) : [],
    };
    const cause = details.errorInstance instanceof Error ? `\nCaused by: ${details.errorInstance.message}` : '';
    throw new PropertyFailure(`${fc.defaultReportMessage(details) ?? 'property failed'}${cause}`, details.errorInstance);
  }

  /** Runs `cleanup` when the scenario ends, last registered first. */
  defer(cleanup: () => Promise<unknown>): void {
    this.#cleanups.push(cleanup);
  }

  /** Whether the target and the run allow `need`. */
  can(need: Need): boolean {
    return need === 'trust-changes' ? this.#settings.installTrust : this.#settings.target.capabilities.has(need);
  }

  /** Fails as not applicable unless the target and the run allow `need`. */
  require(need: Need): void {
    if (!this.can(need))
      throw new NotApplicable(
        need === 'trust-changes' ? 'the run may not change trust (--no-install-trust)' : `the target cannot ${need}${WHY_NOT[need] ?? ''}`,
      );
  }

  /** Stops and starts the Edge on the same data. */
  async restart(): Promise<void> {
    this.require('restart');
    await this.edge.restart?.();
  }

  /** Another Edge of the target's kind, trusting what the first one trusts; closed when the scenario ends. */
  async anotherEdge(): Promise<EdgeUnderTest> {
    this.require('more-edges');
    const target = this.#settings.target;
    if (!target.another) throw new NotApplicable('the target cannot start more Edges');
    const edge = await target.another();
    this.defer(() => edge.close());
    await this.installTrust(edge);
    return edge;
  }

  /**
   * Makes `edge` trust the simulators' access certificate and the fixture signing key, over the
   * REST calls JFrog documents. With `--no-install-trust` the vendor installed them beforehand.
   */
  async installTrust(edge: Pick<EdgeUnderTest, 'url' | 'admin'> = this.edge): Promise<void> {
    if (!this.#settings.installTrust) return;
    const { access, edp } = this.clients(edge.admin, edge);
    await access.trustCertificate(TRUST_ALIASES.simulatorCertificate, this.material.simulatorIdentity.access.certificatePem);
    const keys = await edp.trustedKeys();
    if (!keys.some((k) => k.alias === TRUST_ALIASES.signingKey)) await edp.trustKey(TRUST_ALIASES.signingKey, this.material.publicKey('bundle-signing'));
  }

  /** The simulated platform (Distribution, Mission Control, source, upstream) on loopback, trusted by the Edge; closed when the scenario ends. */
  async platform(options: { plan?: FaultPlan; now?: () => number } = {}): Promise<Platform> {
    if (options.plan) this.faultPlans.push(options.plan);
    const platform = await startPlatform({
      identity: this.material.simulatorIdentity,
      retry: { retries: 4, backoffMs: () => 10 },
      ...(options.plan ? { plan: options.plan } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.defer(() => platform.close());
    await this.installTrust();
    return platform;
  }

  /** Runs the deferred cleanups; their failures are returned, not thrown, so a verdict stands. */
  async cleanUp(): Promise<string[]> {
    const problems: string[] = [];
    for (const cleanup of this.#cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    return problems;
  }
}

/** What a missing capability keeps a scenario from doing, where its name alone does not say. */
const WHY_NOT: Partial<Record<Need, string>> = {
  'reach-loopback': ": its Edge cannot connect to the upstream the harness starts on this machine's 127.0.0.1",
};

/** A short random tag for one run's names. */
export function newRunTag(): string {
  return randomBytes(3).toString('hex');
}
