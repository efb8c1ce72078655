import { request as httpRequest } from 'node:http';
import { listen, type Listener } from '../simulator/core/listen.ts';
import { Recorder } from '../simulator/core/recorder.ts';
import { plainContext } from '../simulator/core/service.ts';
import { FaultInjector } from '../simulator/faults/injector.ts';
import { parseFaultPlan, type FaultRule } from '../simulator/faults/plan.ts';
import { SIM_ADMIN } from '../simulator/platform.ts';
import { createSource } from '../simulator/source/source.ts';
import { basic, type RunningEdge } from './edge-harness.ts';

/** Test support for smart remotes: the upstream simulator on loopback, as simulator/platform.ts starts it. */

export const UPSTREAM_REPO = 'libs';

export interface Upstream {
  url: string;
  /** The repository URL a smart remote is configured with. */
  repoUrl: string;
  recorder: Recorder;
  put(path: string, bytes: Buffer | string, properties?: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** How many exchanges of `method` for the file reached the upstream. */
  count(method: 'GET' | 'HEAD', path: string): Promise<number>;
  close(): Promise<void>;
}

const ADMIN = basic(SIM_ADMIN.user, SIM_ADMIN.password);

/** The upstream simulator (service `upstream`, anonymous reads on) with `rules` as its fault plan. */
export async function startUpstream(rules: Omit<FaultRule, 'service' | 'direction'>[] = []): Promise<Upstream> {
  const recorder = new Recorder();
  const plan = parseFaultPlan({ seed: 1, rules: rules.map((rule) => ({ service: 'upstream', direction: 'inbound', ...rule })) });
  const faults = new FaultInjector(plan);
  const source = createSource(plainContext('upstream'), {
    adminUser: SIM_ADMIN.user,
    adminPassword: SIM_ADMIN.password,
    serviceId: 'jfrt@01jupstream00000000000000000',
    anonymousReads: true,
  });
  const listener: Listener = await listen({ ...source, name: 'upstream' }, { faults, recorder });
  const call = async (method: string, path: string, body?: Buffer | string) => {
    const res = await fetch(`${listener.url}/artifactory${path}`, { method, headers: { authorization: ADMIN }, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`upstream ${method} ${path}: ${res.status} ${text}`);
  };
  await call('PUT', `/api/repositories/${UPSTREAM_REPO}`, undefined);
  return {
    url: listener.url,
    repoUrl: `${listener.url}/artifactory/${UPSTREAM_REPO}`,
    recorder,
    put: (path, bytes, properties) => call('PUT', `/${UPSTREAM_REPO}/${path}${properties ? `;${properties}` : ''}`, bytes),
    remove: (path) => call('DELETE', `/${UPSTREAM_REPO}/${path}`),
    async count(method, path) {
      await recorder.settled();
      return recorder.entries().filter((e) => e.method === method && e.path === `/artifactory/${UPSTREAM_REPO}/${path}`).length;
    },
    close: () => listener.close(),
  };
}

/** Creates smart remote `key` on `edge` pointing at `url`; the answer's status and body. */
export async function createRemote(
  edge: RunningEdge,
  key: string,
  url: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${edge.art}/api/repositories/${key}`, {
    method: 'PUT',
    headers: { authorization: edge.admin, 'content-type': 'application/json' },
    body: JSON.stringify({ rclass: 'remote', url, contentSynchronisation: { enabled: true }, ...extra }),
  });
  return { status: res.status, body: await res.text() };
}

/** A download as a client sees it on the wire: whether the body completed, and its bytes. */
export interface Transfer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The response ended normally (all announced bytes and the end of the message). */
  complete: boolean;
}

/** GET over a raw socket, so a broken transfer is seen as broken and not as an exception. */
export function transfer(
  edge: Pick<RunningEdge, 'url' | 'admin'>,
  path: string,
  headers: Record<string, string> = {},
  onFirstBytes?: () => void,
): Promise<Transfer> {
  const { hostname, port } = new URL(edge.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path: `/artifactory/${path}`, headers: { authorization: edge.admin, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      let complete = false;
      let first = true;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (first) {
          first = false;
          onFirstBytes?.();
        }
      });
      res.on('end', () => {
        complete = true;
      });
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: complete && res.complete }));
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Deterministic bytes of a given size (seeded), so every test knows what the upstream holds. */
export function bytesOf(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
