import { EdgeError } from '../../protocol/errors.ts';
import type { CommitCheck } from '../bundles/edp.ts';
import type { ContentStore } from '../storage/content.ts';
import type { MetadataStore, RepoRecord } from '../storage/metadata.ts';
import { checkMavenPom, isPom } from './maven-admission.ts';
import { dockerAdmission } from './docker-admission.ts';
import { isNpmTarball } from './npm-index.ts';
import type { PackageFacts } from './package-facts.ts';

/**
 * EDGE-PKG-4: before a bundle is published, every npm tarball it brings into an npm repository
 * is read (once: its facts are kept for the index) and one whose `package.json` is missing or
 * broken refuses the commit, naming the file, so no index ever changes because of it; so is
 * every POM bound for a Maven repository (EDGE-MVN-7), and every Docker layout file
 * (`dockerAdmission`, EDGE-OCI-7).
 */
export function packageAdmission(metadata: MetadataStore, facts: PackageFacts, content: ContentStore): CommitCheck {
  return async (files) => {
    const repos = new Map<string, RepoRecord | undefined>();
    for (const file of files) {
      if (file.state !== 'PRESENT' || !(isNpmTarball(file.path) || isPom(file.path))) continue;
      if (!repos.has(file.repo)) repos.set(file.repo, await metadata.repos.get(file.repo));
      const repo = repos.get(file.repo);
      if (repo?.packageType === 'maven' && isPom(file.path)) await checkMavenPom(repo, file, content);
      if (repo?.packageType !== 'npm' || !isNpmTarball(file.path)) continue;
      const read = await facts.npm({ sha256: file.sha256, size: file.size });
      if ('invalid' in read) {
        throw new EdgeError('EDP_PACKAGE_INVALID', `${file.repoPath} is not an npm package: ${read.invalid}.`, { repo_path: file.repoPath });
      }
    }
    await dockerAdmission(metadata, facts, files);
  };
}
