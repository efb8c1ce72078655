import { EdgeError } from '../../protocol/errors.ts';
import type { CommitCheck } from '../bundles/edp.ts';
import type { MetadataStore } from '../storage/metadata.ts';
import { isNpmTarball } from './npm-index.ts';
import type { PackageFacts } from './package-facts.ts';

/**
 * EDGE-PKG-4: before a bundle is published, every npm tarball it brings into an npm repository
 * is read (once: its facts are kept for the index) and one whose `package.json` is missing or
 * broken refuses the commit, naming the file, so no index ever changes because of it.
 */
export function packageAdmission(metadata: MetadataStore, facts: PackageFacts): CommitCheck {
  return async (files) => {
    const types = new Map<string, string | undefined>();
    for (const file of files) {
      if (file.state !== 'PRESENT' || !isNpmTarball(file.path)) continue;
      if (!types.has(file.repo)) types.set(file.repo, (await metadata.repos.get(file.repo))?.packageType);
      if (types.get(file.repo) !== 'npm') continue;
      const read = await facts.npm({ sha256: file.sha256, size: file.size });
      if ('invalid' in read) {
        throw new EdgeError('EDP_PACKAGE_INVALID', `${file.repoPath} is not an npm package: ${read.invalid}.`, { repo_path: file.repoPath });
      }
    }
  };
}
