/**
 * What the harness runs against. A target gives the Edge under test as a URL and admin
 * credentials, and says what else it can do; scenarios that need more than HTTP declare it
 * (`Scenario.needs`) and are reported not applicable on targets without it.
 */

/**
 * The one line naming a component this machine lacks: `locate` finds it or throws that line.
 * Tests and benchmarks that need the component fail or skip with it, never hang (issue #14).
 */
export function missingComponent(locate: () => unknown): string | undefined {
  try {
    locate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export type Capability =
  /** Stop and start the Edge on the same data (`EdgeUnderTest.restart`). */
  | 'restart'
  /** Start more Edges of the same kind (`Target.another`), for scenarios with several sites. */
  | 'more-edges'
  /** The Edge's data directory is on this machine (`EdgeUnderTest.dataDir`), so a scenario can also check the disk. */
  | 'data-dir'
  /**
   * The Edge can open connections to servers the harness starts on its own 127.0.0.1 (a smart
   * remote's upstream): an Edge on the same machine, not one in a container or elsewhere.
   */
  | 'reach-loopback'
  /**
   * The Edge is a cluster of nodes behind a load balancer, each of which can be killed and
   * started again (`clusterNodesOf(edge)`, scenarios/targets/cluster.ts; EDGE-HA-4).
   */
  | 'nodes'
  /**
   * Requests reach the Edge byte for byte as the harness sends them: no HTTP proxy in front
   * answers first. A load balancer refuses a NUL, malformed percent-encoding, a '..' above the
   * root or a broken Content-Length itself, so the Edge's own refusals cannot be seen through it.
   */
  | 'direct-requests';

/** How reports and replay files name a target: enough to start the same one again. */
export interface TargetDescription {
  kind: 'embedded' | 'url' | 'container' | 'cluster';
  /** One line for people: `embedded edgeproof 0.1.0`, `url http://edge:8082`, `container edgeproof:dev`. */
  label: string;
  /** What a replay needs to start the same target (no secrets). */
  settings: Record<string, string | boolean | number>;
  /** The content digest of what was tested, when it has one (a container's image id as `{ sha256: hex }`): the attestation names it as a subject. */
  digest?: Record<string, string>;
}

export interface BodyLimits {
  /** The largest artifact body accepted, in bytes. */
  maxUploadBytes: number;
  /** The largest JSON body accepted, in bytes. */
  maxJsonBytes: number;
}

export interface EdgeUnderTest {
  /** `http://host:port`: the server root; Artifactory's REST API is under `/artifactory`. */
  readonly url: string;
  /** The Authorization header of an administrator. */
  readonly admin: string;
  readonly dataDir?: string;
  /**
   * The body limits the Edge enforces (EDGE-IN-6), when the target knows them: the embedded
   * target from its configuration, others when told. No Artifactory API reports them, so a
   * scenario that must send a body just past a limit is not applicable without them (or
   * without the one it needs: a url target may be told only one).
   */
  readonly limits?: Partial<BodyLimits>;
  /** Stops and starts the Edge on the same data; `url` may change. Present with the `restart` capability. */
  restart?(): Promise<void>;
  /** Stops it (an Edge the target started). */
  close(): Promise<void>;
}

export interface Target {
  readonly description: TargetDescription;
  readonly capabilities: ReadonlySet<Capability>;
  /** The Edge the run uses; the harness calls it once per run. */
  start(): Promise<EdgeUnderTest>;
  /** Another Edge of the same kind, with the `more-edges` capability; the caller closes it. */
  another?(): Promise<EdgeUnderTest>;
  /** Releases what `start` and `another` took. */
  close(): Promise<void>;
}

/** The target cannot be used: the harness prints this one line and stops (exit code 2). */
export class TargetUnavailable extends Error {
  override readonly name = 'TargetUnavailable';
}
