import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { StartedTestContainer } from 'testcontainers';
import { dockerEngine, requireImage } from './docker-engine.ts';
import { TargetUnavailable, type BodyLimits, type Capability, type EdgeUnderTest, type Target, type TargetDescription } from './target.ts';

/**
 * An Edge image started with Testcontainers: the project's own (Dockerfile, docs/container.md)
 * or a vendor's that serves Artifactory's API on port 8082 and takes its admin password and
 * body limits from EDGEPROOF_ADMIN_PASSWORD and EDGEPROOF_MAX_*_BYTES. Each Edge is a container with its own /data volume; the harness
 * reaches it through the port Docker maps on this machine. The Edge never calls back (it makes
 * no outbound requests: the simulators push into it), so the simulators stay on loopback.
 */

/** Where the image serves; mapped to a free port of this machine. */
const EDGE_PORT = 8082;
const PING = '/artifactory/api/system/ping';
/** Containers of a run carry it, so ones a killed run left behind can be found and removed. */
export const CONTAINER_LABEL = 'org.edgeproof.conformance';
/**
 * The body limits each Edge is started with (EDGEPROOF_MAX_*), so the scenarios that send a
 * body just past one can run: JSON at the Edge's default, uploads low enough to stream past.
 */
export const CONTAINER_LIMITS: BodyLimits = { maxUploadBytes: 8 * 1024 * 1024, maxJsonBytes: 1024 * 1024 };

export interface ContainerOptions {
  image: string;
  /** How long a fresh container may take to answer the ping (tsx compiles the sources on each start). */
  startupTimeoutMs?: number;
  /** How long the engine may take to answer its own ping before the target gives up. */
  engineTimeoutMs?: number;
}

export function containerTarget(options: ContainerOptions): Target {
  const { image } = options;
  const startupTimeoutMs = options.startupTimeoutMs ?? 90_000;
  // Per target, so an Edge left running by a killed run does not share a known password.
  const password = randomBytes(18).toString('base64url');
  const admin = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  const open: EdgeUnderTest[] = [];
  let ready: Promise<void> | undefined;
  let imageId: string | undefined;

  const startOne = async (): Promise<EdgeUnderTest> => {
    // The engine and the image are checked once per target, before anything waits on them.
    ready ??= dockerEngine(options.engineTimeoutMs).then(async (engine) => {
      imageId = await requireImage(engine, image);
      // Read when Testcontainers first talks to the engine; the harness's URLs use the same host.
      if (engine.publishesOn) process.env.TESTCONTAINERS_HOST_OVERRIDE ??= engine.publishesOn;
    });
    await ready;
    // Ryuk, Testcontainers' reaper, is an image from a registry, and none is reachable here;
    // the variable is read when Testcontainers loads. close() removes what a run started.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const { GenericContainer, Wait } = await import('testcontainers');
    const logs = lastLine();
    let container: StartedTestContainer;
    try {
      container = await new GenericContainer(image)
        .withExposedPorts(EDGE_PORT)
        .withEnvironment({
          EDGEPROOF_ADMIN_PASSWORD: password,
          EDGEPROOF_MAX_UPLOAD_BYTES: String(CONTAINER_LIMITS.maxUploadBytes),
          EDGEPROOF_MAX_JSON_BYTES: String(CONTAINER_LIMITS.maxJsonBytes),
        })
        .withLabels({ [CONTAINER_LABEL]: 'true' })
        .withWaitStrategy(Wait.forHttp(PING, EDGE_PORT).forStatusCode(200))
        .withStartupTimeout(startupTimeoutMs)
        .withLogConsumer(logs.follow)
        .start();
    } catch (error) {
      const last = logs.get() ?? (error as Error).message.split('\n')[0];
      throw new TargetUnavailable(`the container from ${image} did not answer ${PING} within ${startupTimeoutMs / 1000} s; its last word: ${last}`);
    }
    const urlOf = (c: StartedTestContainer) => `http://${c.getHost()}:${c.getMappedPort(EDGE_PORT)}`;
    let closed = false;
    const handle: EdgeUnderTest = {
      // Docker may map another port after a restart.
      get url() {
        return urlOf(container);
      },
      admin,
      limits: CONTAINER_LIMITS,
      async restart() {
        // `docker restart` with time to stop: SIGTERM first, as an operator's restart sends;
        // the same container, so the same /data volume. Waits for the ping again.
        await container.restart({ timeout: 10_000 });
      },
      async close() {
        if (closed) return;
        closed = true;
        await container.stop({ remove: true, removeVolumes: true });
      },
    };
    open.push(handle);
    return handle;
  };

  const capabilities = new Set<Capability>(['restart', 'more-edges', 'direct-requests']);
  return {
    // Once the image was found, its id: an attestation names what was tested by content.
    get description(): TargetDescription {
      return { kind: 'container', label: `container ${image}`, settings: { image }, ...(imageId ? { digest: { sha256: imageId } } : {}) };
    },
    capabilities,
    start: startOne,
    another: startOne,
    async close() {
      await Promise.all(open.splice(0).map((e) => e.close()));
    },
  };
}

/** The last line a container wrote, for the one line that says why it never became ready. */
function lastLine(): { follow: (stream: Readable) => void; get: () => string | undefined } {
  let last: string | undefined;
  return {
    follow(stream) {
      stream.on('data', (chunk: Buffer | string) => {
        const lines = String(chunk)
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        last = lines.at(-1) ?? last;
      });
    },
    get: () => last,
  };
}
