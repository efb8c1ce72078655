import type { RepoRecord } from '../storage/metadata.ts';
import type { Principal } from '../trust/principal.ts';
import type { NpmFacts, PackageFacts } from './package-facts.ts';
import type { RepoFiles, StoredFile } from './repo-files.ts';

/** The files an npm index reads: tarballs, by name. */
export const isNpmTarball = (path: string): boolean => path.endsWith('.tgz');

export interface NpmVersionFile {
  file: StoredFile;
  facts: NpmFacts;
}

/**
 * EDGE-PKG-3: the versions of an npm package a repository holds, from the `package.json` of
 * each tarball the caller may read (wherever it is stored: the name inside counts, not the
 * path). Two tarballs of one name and version: the first by path is served.
 */
export class NpmIndex {
  constructor(
    private readonly files: RepoFiles,
    private readonly facts: PackageFacts,
  ) {}

  async versions(principal: Principal, repo: RepoRecord, name: string): Promise<NpmVersionFile[]> {
    const tarballs = (await this.files.readable(principal, repo, isNpmTarball)).sort((a, b) => (a.path < b.path ? -1 : 1));
    const byVersion = new Map<string, NpmVersionFile>();
    for (const file of tarballs) {
      const facts = await this.facts.npm({ sha256: file.checksums.sha256, size: file.size });
      // Refused at commit (EDGE-PKG-4); one stored before this Edge indexed npm is left out.
      if ('invalid' in facts || facts.manifest.name !== name || byVersion.has(facts.manifest.version)) continue;
      byVersion.set(facts.manifest.version, { file, facts });
    }
    return [...byVersion.values()];
  }
}
