import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createEdge, parseConfig, type Edge, type EdgeConfigInput, type EdgeOptions } from '../edge/index.ts';
import { AccessClient, ApiError, ArtifactoryClient, EdpClient } from '../protocol/clients/index.ts';

/** Test support: a real Edge on a loopback port with a fresh data directory. */

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface RunningEdge {
  edge: Edge;
  url: string;
  /** http://127.0.0.1:port/artifactory */
  art: string;
  dataDir: string;
  admin: string;
  close(): Promise<void>;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The typed clients of an Edge, acting as one caller: what tests set up and read state with. */
export interface EdgeClients {
  artifactory: ArtifactoryClient;
  access: AccessClient;
  edp: EdpClient;
}

/** Clients sending `authorization` (the Edge's admin when left out). */
export function clientsOf(edge: Pick<RunningEdge, 'url' | 'admin'>, authorization: string = edge.admin): EdgeClients {
  const options = { url: edge.url, credentials: { authorization } };
  return { artifactory: new ArtifactoryClient(options), access: new AccessClient(options), edp: new EdpClient(options) };
}

/** The value `read` gives, or the status of the refusal it met: for reads a snapshot compares. */
export async function valueOrStatus<T>(read: () => Promise<T>): Promise<T | number> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

/**
 * A file as `edge`'s admin downloads it: the status, and the sha256 of the body (of the error
 * body when refused).
 */
export async function downloadDigest(edge: Pick<RunningEdge, 'url' | 'admin'>, repoPath: string): Promise<{ status: number; sha256: string }> {
  const digest = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
  try {
    const res = await clientsOf(edge).artifactory.download(repoPath);
    return { status: res.status, sha256: digest(new Uint8Array(await res.arrayBuffer())) };
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, sha256: digest(error.text) };
    throw error;
  }
}

export async function startEdge(
  overrides: Partial<EdgeConfigInput> = {},
  options: Pick<EdgeOptions, 'now' | 'storage' | 'logger'> & { dataDir?: string } = {},
): Promise<RunningEdge> {
  const { dataDir: given, ...edgeOptions } = options;
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'edgeproof-test-')));
  const config = parseConfig({ port: 0, dataDir, adminPassword: ADMIN_PASSWORD, logLevel: 'silent', ...overrides });
  const edge = await createEdge(config, edgeOptions);
  const url = await edge.listen();
  return {
    edge,
    url,
    art: `${url}/artifactory`,
    dataDir,
    admin: basic('admin', ADMIN_PASSWORD),
    async close() {
      // A test's teardown has nothing in flight worth waiting for.
      await edge.close(0);
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json(): unknown;
}

/**
 * An HTTP request whose path goes on the wire exactly as given: fetch would normalise `..`
 * and percent-encodings away before the Edge could refuse them.
 */
export function raw(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string | number>; body?: Buffer | string | AsyncIterable<Uint8Array> } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    const body = options.body;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else
      (async () => {
        for await (const chunk of body) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        req.end();
      })().catch(reject);
  });
}

/** Every file under the data directory's filestore (temp area included), as relative paths. */
export async function filestoreFiles(dataDir: string): Promise<string[]> {
  const root = join(dataDir, 'filestore');
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(relative(root, full));
    }
  };
  await walk(root);
  return out.sort();
}

/**
 * What a client and the disk can see of the Edge: every repository, every item with its
 * checksums and properties, and every blob. Two equal snapshots mean nothing changed.
 */
export async function snapshot(edge: RunningEdge): Promise<unknown> {
  const { artifactory } = clientsOf(edge);
  const repos = await artifactory.repositories();
  const items: Record<string, unknown> = {};
  for (const { key } of repos) {
    const list = await artifactory.fileList(key, { deep: true, listFolders: true });
    for (const file of list.files) {
      items[`${key}${file.uri}`] = { ...file, properties: await valueOrStatus(() => artifactory.properties(`${key}${file.uri}`)) };
    }
  }
  const configs = await Promise.all(repos.map(({ key }) => artifactory.repository(key)));
  return { repos, configs, items, blobs: await filestoreFiles(edge.dataDir) };
}
