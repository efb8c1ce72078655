import { createHash } from 'node:crypto';
import { readSigningKey, signBundle, type BundlePayload, type SigningKey } from '../protocol/bundle/index.ts';
import { fixturePublicKey, fixtureSecretKey, type FixtureSecretKeyName } from '../fixtures/keys/index.ts';
import { EDP_BASE, edpPaths } from '../protocol/wire/edp.ts';
import { clientsOf, raw, type RawResponse, type RunningEdge } from './edge-harness.ts';

/**
 * Test support for the Edge Distribution Protocol: signed bundles and the calls D and S make.
 * Setups go through the typed clients; `start`, `uploadFile` and `commit` stay raw because the
 * EDP tests check their exact answers (docs/architecture.md, "How tests talk to an Edge").
 */

export const EDP = EDP_BASE;

export interface BundleFile {
  repoPath: string;
  bytes: Buffer;
  props?: { key: string; values: string[] }[];
}

export interface TestBundle {
  payload: BundlePayload;
  jws: string;
  files: BundleFile[];
}

const signingKeys = new Map<string, Promise<SigningKey>>();

export function fixtureSigningKey(name: FixtureSecretKeyName = 'bundle-signing'): Promise<SigningKey> {
  let key = signingKeys.get(name);
  if (!key) {
    key = readSigningKey(fixtureSecretKey(name));
    signingKeys.set(name, key);
  }
  return key;
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export function payloadOf(name: string, version: string, files: BundleFile[]): BundlePayload {
  return {
    name,
    version,
    created: '2026-11-25T12:00:00.000Z',
    description: `test bundle ${name}`,
    type: 'release_bundle_v1',
    artifacts: files.map((f) => ({ repo_path: f.repoPath, checksum: sha256(f.bytes), size: f.bytes.length, ...(f.props ? { props: f.props } : {}) })),
  };
}

export async function makeBundle(name: string, version: string, files: BundleFile[], key?: SigningKey): Promise<TestBundle> {
  const payload = payloadOf(name, version, files);
  return { payload, jws: await signBundle(payload, key ?? (await fixtureSigningKey())), files };
}

export function json(edge: RunningEdge, method: string, path: string, body?: unknown): Promise<RawResponse> {
  return raw(edge.url, method, path, {
    headers: { authorization: edge.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export async function trustFixtureKey(edge: RunningEdge, name: 'bundle-signing' | 'untrusted-signing' = 'bundle-signing'): Promise<string> {
  return (await clientsOf(edge).edp.trustKey(name, fixturePublicKey(name))).kid;
}

export async function createRepo(edge: RunningEdge, key: string): Promise<void> {
  await clientsOf(edge).artifactory.createRepository(key, { rclass: 'local' });
}

export function start(edge: RunningEdge, jws: string, extra: Record<string, unknown> = {}): Promise<RawResponse> {
  return json(edge, 'POST', edpPaths.transactions, { bundle: jws, ...extra });
}

export function filePath(txId: string, repoPath: string): string {
  return edpPaths.file(txId, repoPath);
}

export function uploadFile(
  edge: RunningEdge,
  txId: string,
  file: BundleFile,
  overrides: { bytes?: Buffer; sha256?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return raw(edge.url, 'PUT', filePath(txId, file.repoPath), {
    headers: { authorization: edge.admin, 'x-checksum-sha256': overrides.sha256 ?? sha256(file.bytes), ...overrides.headers },
    body: overrides.bytes ?? file.bytes,
  });
}

export function commit(edge: RunningEdge, txId: string): Promise<RawResponse> {
  return json(edge, 'POST', edpPaths.commit(txId));
}

/** Starts, uploads every file and commits; returns the transaction id. */
export async function distribute(edge: RunningEdge, bundle: TestBundle): Promise<string> {
  const { edp } = clientsOf(edge);
  const { transaction } = await edp.start({ bundle: bundle.jws });
  for (const file of bundle.files) await edp.uploadFile(transaction.id, file.repoPath, file.bytes, { sha256: sha256(file.bytes) });
  await edp.commit(transaction.id);
  return transaction.id;
}

export function errorCode(res: RawResponse): string | undefined {
  try {
    return (res.json() as { errors?: { code?: string }[] }).errors?.[0]?.code;
  } catch {
    return undefined;
  }
}
