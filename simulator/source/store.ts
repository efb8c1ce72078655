import { repoPathProblem } from '../../protocol/bundle/index.ts';
import { EdgeError } from '../../protocol/errors.ts';
import { validatePropertyKey, type Properties } from '../../protocol/wire/properties.ts';
import { DEFAULT_STORING_REPO, type StoreRequest } from '../../protocol/wire/source-bundles.ts';
import type { BundleArtifact, FileItem, SourceState, StoredBundle } from './state.ts';

/**
 * Storing signed bundles (our design; README "Storing a signed bundle"). JFrog says only that
 * signing "triggers Artifactory to clone the contents of a release bundle into an isolated
 * release-bundles repository" laid out as `<storing repo>/<name>/<version>/<repo>/<path>`
 * (jfrog-compat.md §3.3, §3.4, §3.10); the request that does it is not public.
 *
 * The JWS is kept opaque: verifying it is the Edge's job (EDP-SIG-*), and Distribution's
 * simulator may sign bundles an Edge must refuse. What the source does check is its own side:
 * every source item exists and has the checksum the bundle claims.
 */

/** The source keeps every clone in JFrog's default storing repository. */
export const STORING_REPO = DEFAULT_STORING_REPO;

/** Stores a bundle; a repeat of the same request changes nothing and says `created: false`. */
export function storeBundle(state: SourceState, request: StoreRequest, user: string, now: number): { bundle: StoredBundle; created: boolean } {
  const { name, version } = request;
  const fingerprint = JSON.stringify([request.jws, request.artifacts.map((a) => [a.source_repo_path, a.target_repo_path, a.checksum, a.props ?? []])]);
  const existing = state.bundle(name, version);
  if (existing) {
    if (existing.fingerprint === fingerprint) return { bundle: existing, created: false };
    // Like JFrog's "Bundle already exists": a stored name/version never changes.
    throw new EdgeError('CONFLICT', `Release bundle ${name}/${version} is already stored with other content.`);
  }

  // Every check runs before anything is written, so a refused request leaves no partial clone.
  const sources = checkArtifacts(state, request);
  if (!state.repository(STORING_REPO)) state.createRepository(STORING_REPO, { description: 'Signed release bundles (cloned content)' });
  const artifacts: BundleArtifact[] = request.artifacts.map((artifact, index) => {
    const source = sources[index] as FileItem;
    const storedPath = `${name}/${version}/${artifact.target_repo_path}`;
    const added = artifact.props ?? [];
    const properties: Properties = { ...source.properties, ...Object.fromEntries(added.map((p) => [p.key, p.values])) };
    state.deployFile(STORING_REPO, storedPath, source.bytes, properties, user, source.checksums);
    return { repoPath: artifact.target_repo_path, storedPath, checksum: artifact.checksum, size: source.size, props: added };
  });
  const bundle: StoredBundle = { name, version, jws: request.jws, created: now, artifacts, fingerprint };
  state.putBundle(bundle);
  return { bundle, created: true };
}

function checkArtifacts(state: SourceState, request: StoreRequest): FileItem[] {
  const targets = new Map<string, number>();
  return request.artifacts.map((artifact, index) => {
    const field = (member: string) => `artifacts[${index}].${member}`;
    for (const member of ['source_repo_path', 'target_repo_path'] as const) {
      const problem = repoPathProblem(artifact[member]);
      if (problem) throw new EdgeError('INVALID_BODY', `${field(member)} ${JSON.stringify(artifact[member])} ${problem}.`);
    }
    const earlier = targets.get(artifact.target_repo_path);
    if (earlier !== undefined) {
      throw new EdgeError('INVALID_BODY', `${field('target_repo_path')} ${JSON.stringify(artifact.target_repo_path)} duplicates artifacts[${earlier}].`);
    }
    targets.set(artifact.target_repo_path, index);
    for (const prop of artifact.props ?? []) validatePropertyKey(prop.key);

    const slash = artifact.source_repo_path.indexOf('/');
    const source = state.item(artifact.source_repo_path.slice(0, slash), artifact.source_repo_path.slice(slash + 1));
    if (!source) throw new EdgeError('NOT_FOUND', `${field('source_repo_path')} ${JSON.stringify(artifact.source_repo_path)} does not exist.`);
    if (source.kind !== 'file') throw new EdgeError('NOT_A_FILE', `${field('source_repo_path')} ${JSON.stringify(artifact.source_repo_path)} is a folder.`);
    if (source.checksums.sha256 !== artifact.checksum) {
      throw new EdgeError(
        'CHECKSUM_MISMATCH',
        `${field('checksum')} is ${artifact.checksum} but ${artifact.source_repo_path} has sha256 ${source.checksums.sha256}.`,
      );
    }
    return source;
  });
}
