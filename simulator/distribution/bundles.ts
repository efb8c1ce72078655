import { createHash } from 'node:crypto';
import { signBundle, type BundlePayload, type SigningKey } from '../../protocol/bundle/index.ts';
import { badRequest, conflict, notFound } from './errors.ts';
import { signingKeyOf } from './keys.ts';
import type { SourceClient } from './source.ts';
import { bundleKey, type BundleRecord, type DistributionState } from './state.ts';

/**
 * The release bundle lifecycle (jfrog-compat.md §3.1–§3.5): OPEN (created, mutable) → SIGNED
 * (signed, not stored) → STORED (the source Artifactory holds a copy) → READY_FOR_DISTRIBUTION.
 * There is no Xray here, so a stored bundle is ready at once.
 */

export function findBundle(state: DistributionState, name: string, version: string): BundleRecord {
  const bundle = state.bundles.get(bundleKey(name, version));
  if (!bundle) throw notFound(`Release bundle ${name}/${version} does not exist.`);
  return bundle;
}

/** The key that signs: the default one (§3.9 `set_as_default`), decrypted. */
export async function defaultSigningKey(state: DistributionState, passphrase: string | undefined): Promise<SigningKey> {
  const key = state.defaultKeyAlias === undefined ? undefined : state.keys.get(state.defaultKeyAlias);
  if (!key) throw badRequest('There is no default GPG signing key: upload one with POST /api/v1/keys/gpg and "set_as_default": true.');
  return signingKeyOf(key, passphrase);
}

/**
 * The signed payload (docs/protocol.md §2: JFrog's ReleaseBundleModel plus `size`; §3.5): the
 * target paths, sha256 checksums, sizes and props the Edges will publish.
 */
function payloadOf(bundle: BundleRecord): BundlePayload {
  return {
    name: bundle.name,
    version: bundle.version,
    created: new Date(bundle.created).toISOString(),
    ...(bundle.description === undefined ? {} : { description: bundle.description }),
    ...(bundle.releaseNotes === undefined ? {} : { release_notes: bundle.releaseNotes }),
    type: 'release_bundle_v1',
    artifacts: bundle.artifacts.map((a) => ({ repo_path: a.targetRepoPath, checksum: a.checksum, size: a.size, props: a.props })),
  };
}

/**
 * Signs (when OPEN) and stores the bundle on the source. A bundle left SIGNED by a failed store
 * is only stored again, with the JWS it already has: its signature must not change.
 * Returns the sha256 of the JWS, the `X-Checksum-Sha256` JFrog answers (§3.1, §3.3).
 */
export async function signAndStore(
  bundle: BundleRecord,
  /** Needed when the bundle is OPEN; the caller resolves it first so a missing key changes nothing. */
  key: SigningKey | undefined,
  source: SourceClient,
): Promise<string> {
  if (bundle.state === 'STORED' || bundle.state === 'READY_FOR_DISTRIBUTION') {
    throw conflict(`Release bundle ${bundle.name}/${bundle.version} is already signed (${bundle.state}).`);
  }
  if (bundle.jws === undefined) {
    if (!key) throw badRequest(`Release bundle ${bundle.name}/${bundle.version} needs a signing key.`);
    bundle.jws = await signBundle(payloadOf(bundle), key);
    bundle.state = 'SIGNED';
  }
  await source.store(bundle.name, bundle.version, bundle.jws, bundle.artifacts);
  // STORED, and at once READY_FOR_DISTRIBUTION: there is no Xray scan to wait for.
  bundle.state = 'READY_FOR_DISTRIBUTION';
  return jwsChecksum(bundle.jws);
}

/** Local delete (§3.8); the version's trackers go with it, so its status reads 404 (§3.7). */
export function removeBundle(state: DistributionState, bundle: BundleRecord): void {
  state.bundles.delete(bundleKey(bundle.name, bundle.version));
  state.trackers = state.trackers.filter((t) => t.name !== bundle.name || t.version !== bundle.version);
}

function jwsChecksum(jws: string): string {
  return createHash('sha256').update(jws).digest('hex');
}

/** A bundle as `GET /api/v1/release_bundle/{name}/{version}` shows it (§3.4). */
export function bundleJson(bundle: BundleRecord): Record<string, unknown> {
  const stored = bundle.state === 'STORED' || bundle.state === 'READY_FOR_DISTRIBUTION';
  return {
    name: bundle.name,
    version: bundle.version,
    storing_repository: bundle.storingRepository,
    description: bundle.description ?? '',
    ...(bundle.releaseNotes === undefined ? {} : { release_notes: bundle.releaseNotes }),
    created: new Date(bundle.created).toISOString(),
    created_by: bundle.createdBy,
    ...(bundle.distributedBy === undefined ? {} : { distributed_by: bundle.distributedBy }),
    artifacts: bundle.artifacts.map((a) => ({
      checksum: a.checksum,
      props: a.props,
      // §3.4: once stored, the source path is the copy `<storing_repo>/<name>/<version>/<repo>/<path>`.
      sourceRepoPath: stored ? `${bundle.storingRepository}/${bundle.name}/${bundle.version}/${a.sourceRepoPath}` : a.sourceRepoPath,
      targetRepoPath: a.targetRepoPath,
    })),
    artifacts_size: bundle.artifacts.reduce((sum, a) => sum + a.size, 0),
    archived: false,
    state: bundle.state,
    xray_triggering_status: 'NOT_TRIGGERED',
    spec: { queries: bundle.spec.queries.map((q) => ({ ...q, query_type: 'AQL' })) },
  };
}

/** `?format=jws` (§3.4): the JWS as `{"header","payload","signature"}`. */
export function jwsJson(bundle: BundleRecord): { header: string; payload: string; signature: string } {
  if (bundle.jws === undefined) throw conflict(`Release bundle ${bundle.name}/${bundle.version} is ${bundle.state}: it has no signature yet.`);
  const [header = '', payload = '', signature = ''] = bundle.jws.split('.');
  return { header, payload, signature };
}
