import { spawn, type ChildProcess } from 'node:child_process';
import { EDGEPROOF_BIN } from './served-edge.ts';

/**
 * `edgeproof sim` in its own process, as users run it: bench/ may not import simulator/, and a
 * separate process keeps the simulators' CPU and memory out of the Edges' figures. Every call
 * goes through the simulators' REST APIs, the way a script drives JFrog's platform.
 */

/** The fixture admin every simulator accepts (what `edgeproof sim` prints). */
const SIM_ADMIN = { user: 'admin', password: 'edgeproof-sim-password' };
export const SIM_AUTHORIZATION = `Basic ${Buffer.from(`${SIM_ADMIN.user}:${SIM_ADMIN.password}`).toString('base64')}`;

export interface SimulatedPlatform {
  child: ChildProcess;
  /** Base URLs (http://127.0.0.1:port), without the service's path. */
  distribution: string;
  missionControl: string;
  source: string;
  /** Sends `body` as JSON to a simulator with the admin's credentials; throws unless `expect` answers. */
  call<T>(method: string, url: string, body?: unknown, expect?: readonly number[]): Promise<T>;
  stop(): Promise<void>;
}

const BASE = (line: string) => new RegExp(`^\\s+${line}\\s+(http://[^/\\s]+)`, 'm');

/** Starts the simulators on free loopback ports; resolves once they print `Ready.`. */
export function startSimulatedPlatform(): Promise<SimulatedPlatform> {
  const child = spawn(
    process.execPath,
    [EDGEPROOF_BIN, 'sim', '--distribution-port', '0', '--mission-control-port', '0', '--source-port', '0', '--upstream-port', '0'],
    { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      if (ready || !/^Ready\.$/m.test(output)) return;
      ready = true;
      const url = (name: string) => BASE(name).exec(output)?.[1] as string;
      resolve({
        child,
        distribution: url('distribution'),
        missionControl: url('mission control'),
        source: url('source'),
        call,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then((code) => {
      if (!ready) reject(new Error(`edgeproof sim exited with ${code} before it was ready:\n${output}`));
    });
  });
}

async function call<T>(method: string, url: string, body?: unknown, expect: readonly number[] = [200, 201, 202, 204]): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { authorization: SIM_AUTHORIZATION, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${url}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
