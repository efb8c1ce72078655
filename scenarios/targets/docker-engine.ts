import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { TargetUnavailable } from './target.ts';

/**
 * The Docker engine the container target drives, found as Docker's own client finds it
 * (DOCKER_HOST, else the local socket), and asked whether it answers before anything waits on
 * it. Testcontainers alone would not do: it quietly falls back from an unreachable DOCKER_HOST
 * to the local socket, and takes a registry pull for the answer to a missing image.
 */

export interface DockerEngine {
  /** Where the engine is, as a person would write it: `unix:///var/run/docker.sock`. */
  readonly where: string;
  readonly docker: Dockerode;
  /**
   * Where the ports it publishes are reached from here, when that is known: loopback for an
   * engine of this machine (even inside a container, where Testcontainers would guess the
   * bridge's gateway), the engine's host for a TCP one.
   */
  readonly publishesOn: string | undefined;
}

const DEFAULT_HOST = 'unix:///var/run/docker.sock';
const HOW_TO_START = 'start one (Debian: apt-get install docker.io, then dockerd &; docs/container.md) or point DOCKER_HOST at one';

/** The engine, once it answered a ping within `timeoutMs`; otherwise TargetUnavailable in one line. */
export async function dockerEngine(timeoutMs = 3000): Promise<DockerEngine> {
  const where = process.env.DOCKER_HOST || DEFAULT_HOST;
  const { default: Docker } = await import('dockerode');
  let docker: Dockerode;
  try {
    docker = new Docker({ timeout: timeoutMs });
  } catch (error) {
    throw new TargetUnavailable(`no Docker engine answers at ${where} (${(error as Error).message}): ${HOW_TO_START}`);
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([docker.ping(), late]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new TargetUnavailable(`no Docker engine answers at ${where} (${e.code ?? e.message}): ${HOW_TO_START}`);
  } finally {
    clearTimeout(timer);
  }
  return { where, docker, publishesOn: await publishedPortsHost(docker, where) };
}

async function publishedPortsHost(docker: Dockerode, where: string): Promise<string | undefined> {
  const url = new URL(where);
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') return url.hostname;
  // A socket shared from outside this machine's network (a sibling container's engine)
  // publishes on another host; the engine names the machine it runs on.
  if (url.protocol === 'unix:' && (await docker.info()).Name === hostname()) return '127.0.0.1';
  return undefined;
}

/**
 * The image's id (the sha256 of its configuration, which names its layers), or
 * TargetUnavailable when it is not in the engine: nothing here may be pulled from a registry.
 */
export async function requireImage(engine: DockerEngine, image: string): Promise<string> {
  try {
    return (await engine.docker.getImage(image).inspect()).Id.replace(/^sha256:/, '');
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    throw new TargetUnavailable(`image ${image} is not in the Docker engine at ${engine.where}: build it with npm run image (docs/container.md)`);
  }
}
