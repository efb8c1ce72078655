import { createHash } from 'node:crypto';
import { readSigningKey, signBundle, type BundlePayload, type SigningKey } from '../../protocol/bundle/index.ts';
import { edpPaths } from '../../protocol/wire/edp.ts';
import type { ScenarioContext } from './context.ts';
import type { RawResponse } from './http.ts';
import type { SecretKeyName } from './material.ts';

/**
 * Signed bundles and the EDP calls Distribution and the source make, for scenarios. Set-ups go
 * through the typed clients; `start`, `uploadFile` and `commit` stay raw because scenarios
 * check their exact answers.
 */

export interface BundleFile {
  repoPath: string;
  bytes: Buffer;
  props?: { key: string; values: string[] }[];
}

export interface SignedBundle {
  payload: BundlePayload;
  jws: string;
  files: BundleFile[];
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

const signingKeys = new Map<string, Promise<SigningKey>>();

/** A fixture secret key, read once per process. */
export function signingKey(t: ScenarioContext, name: SecretKeyName = 'bundle-signing'): Promise<SigningKey> {
  let key = signingKeys.get(name);
  if (!key) {
    key = readSigningKey(t.material.secretKey(name), name === 'passphrase-signing' ? t.material.passphrase : undefined);
    signingKeys.set(name, key);
  }
  return key;
}

export function payloadOf(name: string, version: string, files: BundleFile[]): BundlePayload {
  return {
    name,
    version,
    created: '2026-11-25T12:00:00.000Z',
    description: `conformance bundle ${name}`,
    type: 'release_bundle_v1',
    artifacts: files.map((f) => ({ repo_path: f.repoPath, checksum: sha256(f.bytes), size: f.bytes.length, ...(f.props ? { props: f.props } : {}) })),
  };
}

/** Signs `payload` (by default the one `files` describe) with a fixture key (bundle-signing by default). */
export async function signedBundle(
  t: ScenarioContext,
  name: string,
  version: string,
  files: BundleFile[],
  options: { key?: SecretKeyName; payload?: BundlePayload } = {},
): Promise<SignedBundle> {
  const payload = options.payload ?? payloadOf(name, version, files);
  return { payload, jws: await signBundle(payload, await signingKey(t, options.key)), files };
}

export function start(t: ScenarioContext, jws: string, extra: Record<string, unknown> = {}, auth?: string | null): Promise<RawResponse> {
  return t.http('POST', edpPaths.transactions, { json: { bundle: jws, ...extra }, ...(auth !== undefined ? { auth } : {}) });
}

export function uploadFile(
  t: ScenarioContext,
  txId: string,
  file: BundleFile,
  overrides: { bytes?: Buffer; sha256?: string; headers?: Record<string, string>; auth?: string | null } = {},
): Promise<RawResponse> {
  return t.http('PUT', edpPaths.file(txId, file.repoPath), {
    headers: { 'x-checksum-sha256': overrides.sha256 ?? sha256(file.bytes), ...overrides.headers },
    body: overrides.bytes ?? file.bytes,
    ...(overrides.auth !== undefined ? { auth: overrides.auth } : {}),
  });
}

export function commit(t: ScenarioContext, txId: string, auth?: string | null): Promise<RawResponse> {
  return t.http('POST', edpPaths.commit(txId), auth !== undefined ? { auth } : {});
}

/** Starts, uploads every file and commits through the typed client; returns the transaction id. */
export async function distribute(t: ScenarioContext, bundle: SignedBundle): Promise<string> {
  const { edp } = t.clients();
  const { transaction } = await edp.start({ bundle: bundle.jws });
  for (const file of bundle.files) await edp.uploadFile(transaction.id, file.repoPath, file.bytes, { sha256: sha256(file.bytes) });
  await edp.commit(transaction.id);
  t.defer(() => edp.deleteBundle(bundle.payload.name, bundle.payload.version));
  return transaction.id;
}

/** The refusal's `code`, or undefined when the body is not Artifactory's error body. */
export function errorCode(res: RawResponse): string | undefined {
  try {
    return (res.json() as { errors?: { code?: string }[] }).errors?.[0]?.code;
  } catch {
    return undefined;
  }
}
