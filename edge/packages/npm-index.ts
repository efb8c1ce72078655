import type { RepoRecord } from '../storage/metadata.ts';
import type { Principal } from '../trust/principal.ts';
import { EdgeError } from '../../protocol/errors.ts';
import type { Facts, NpmFacts, PackageFacts } from './package-facts.ts';
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
 * path). Two tarballs of one name and version: the first in `RepoFiles` order is served (by
 * path; through a virtual, the first member's — EDGE-PKG-10).
 */
export class NpmIndex {
  constructor(
    private readonly files: RepoFiles,
    private readonly facts: PackageFacts,
  ) {}

  async versions(principal: Principal, repo: RepoRecord, name: string): Promise<NpmVersionFile[]> {
    const byVersion = new Map<string, NpmVersionFile>();
    for (const file of await this.files.readable(principal, repo, isNpmTarball)) {
      const facts = await this.#facts(principal, repo, file);
      // Refused at commit (EDGE-PKG-4); one stored before this Edge indexed npm, or a smart
      // remote's whose package.json is broken (EDGE-PKG-11), is left out.
      if ('invalid' in facts || facts.manifest.name !== name || byVersion.has(facts.manifest.version)) continue;
      byVersion.set(facts.manifest.version, { file, facts });
    }
    return [...byVersion.values()];
  }

  /** EDGE-PKG-9: a file that cannot be read now (its upstream fails, the caller may not fetch it) is left out of this answer, nothing remembered. */
  async #facts(principal: Principal, repo: RepoRecord, file: StoredFile): Promise<Facts<NpmFacts>> {
    try {
      return await this.facts.npm({ sha256: file.checksums.sha256, size: file.size }, () => this.files.open(principal, repo, file));
    } catch (error) {
      if (error instanceof EdgeError) return { invalid: error.message };
      throw error;
    }
  }
}
