import { badRequest } from '../errors.ts';
import { mapPath } from '../mappings.ts';
import { bundleProps } from '../props.ts';
import type { AqlItem, SourceClient } from '../source.ts';
import type { BundleArtifact } from '../state.ts';
import type { BundleQuery, BundleSpec } from './bundle-body.ts';

/**
 * Turns a bundle spec into its artifacts (jfrog-compat.md §3.1): each query's AQL runs on the
 * source Artifactory; each file found gets its sha256 and size from the storage API (§1.4) and
 * its properties (§1.6), then its target path (mappings) and bundle properties
 * (`exclude_props_patterns`, `added_props`).
 */
export async function resolveSpec(source: SourceClient, spec: BundleSpec): Promise<BundleArtifact[]> {
  const byTarget = new Map<string, BundleArtifact>();
  for (const query of spec.queries) {
    for (const artifact of await resolveQuery(source, query)) {
      const earlier = byTarget.get(artifact.targetRepoPath);
      // Two queries may find the same file; two different contents for one Edge path cannot both be signed.
      if (earlier && earlier.checksum !== artifact.checksum) {
        throw badRequest(
          `Two files map to ${artifact.targetRepoPath}: ${earlier.sourceRepoPath} and ${artifact.sourceRepoPath} (query "${query.query_name}") have different content.`,
        );
      }
      if (!earlier) byTarget.set(artifact.targetRepoPath, artifact);
    }
  }
  // docs/protocol.md EDP-SIG-13: an Edge refuses a bundle without artifacts, so no such bundle is made.
  if (byTarget.size === 0) throw badRequest('The release bundle spec matched no files on the source Artifactory.');
  return [...byTarget.values()];
}

async function resolveQuery(source: SourceClient, query: BundleQuery): Promise<BundleArtifact[]> {
  const artifacts: BundleArtifact[] = [];
  for (const item of await source.aql(query.query_name, query.aql)) {
    const sourceRepoPath = repoPathOf(item);
    const { sha256, size } = await source.fileInfo(sourceRepoPath);
    artifacts.push({
      sourceRepoPath,
      targetRepoPath: mapPath(sourceRepoPath, query.mappings, query.query_name),
      checksum: sha256,
      size,
      props: bundleProps(await source.properties(sourceRepoPath), query),
    });
  }
  return artifacts;
}

/** AQL writes a file at the repository root with path "." (jfrog-compat.md §1.10). */
function repoPathOf(item: AqlItem): string {
  return item.path === '.' || item.path === '' ? `${item.repo}/${item.name}` : `${item.repo}/${item.path}/${item.name}`;
}
