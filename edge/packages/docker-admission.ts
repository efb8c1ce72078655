import { EdgeError } from '../../protocol/errors.ts';
import { blobName, layoutOf, MANIFEST_FILE } from '../../protocol/wire/oci.ts';
import type { TxFile } from '../storage/bundles.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import type { PackageFacts } from './package-facts.ts';

/**
 * EDGE-OCI-7: before a bundle is published, every file it brings into a Docker repository's
 * layout is checked: a `sha256__<hex>` file must hash to `<hex>`; a `manifest.json` or
 * `list.manifest.json` must parse as a Docker/OCI manifest (its facts are kept for the index)
 * and everything it references must be there once the bundle is published — an image's config
 * and layers beside it, a list's platform manifests in `<image>/sha256__<hex>/` — brought by the
 * bundle or already in the repository. The first file that fails refuses the commit, naming it,
 * so no image is ever served half.
 */
export async function dockerAdmission(metadata: MetadataStore, facts: PackageFacts, files: readonly TxFile[]): Promise<void> {
  const docker = new Map<string, boolean>();
  const isDocker = async (repo: string) => {
    if (!docker.has(repo)) docker.set(repo, (await metadata.repos.get(repo))?.packageType === 'docker');
    return docker.get(repo) === true;
  };
  const present = files.filter((file) => file.state === 'PRESENT');
  const brought = new Map(present.map((file) => [`${file.repo}/${file.path}`, file.sha256]));
  /** The SHA-256 at `path` once the bundle is published: the bundle's file, else the repository's. */
  const sha256At = async (repo: string, path: string) =>
    brought.get(`${repo}/${path}`) ?? (await metadata.items.get(repo, path))?.checksums?.sha256 ?? undefined;

  // Misnamed blobs first: a manifest referencing one is then not blamed for it.
  const ordered = [...present].sort((a, b) => Number(layoutOf(b.path).kind === 'blob') - Number(layoutOf(a.path).kind === 'blob'));
  for (const file of ordered) {
    const entry = layoutOf(file.path);
    if (entry.kind === 'other' || !(await isDocker(file.repo))) continue;
    const refuse = (why: string) => new EdgeError('EDP_PACKAGE_INVALID', `${file.repoPath} ${why}.`, { repo_path: file.repoPath });
    if (entry.kind === 'blob') {
      if (file.sha256 !== entry.sha256) throw refuse(`is named for digest sha256:${entry.sha256} but its content's is sha256:${file.sha256}`);
      continue;
    }
    const read = await facts.docker({ sha256: file.sha256, size: file.size });
    if ('invalid' in read) throw refuse(`is not a Docker/OCI manifest: ${read.invalid}`);
    const folder = `${entry.image}/${entry.folder}`;
    for (const hex of read.references) {
      const path = read.index ? `${entry.image}/${blobName(hex)}/${MANIFEST_FILE}` : `${folder}/${blobName(hex)}`;
      if ((await sha256At(file.repo, path)) !== hex) {
        throw refuse(`references ${read.index ? 'manifest' : 'blob'} sha256:${hex}, which is not at ${file.repo}/${path} in the bundle or the repository`);
      }
    }
  }
}
