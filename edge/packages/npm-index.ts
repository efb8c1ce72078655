import { nameOf } from '../../protocol/paths.ts';
import type { RepoRecord } from '../storage/metadata.ts';
import type { Principal } from '../trust/principal.ts';
import { EdgeError } from '../../protocol/errors.ts';
import type { Facts, NpmFacts, PackageFacts } from './package-facts.ts';
import type { RepoFiles, StoredFile } from './repo-files.ts';

/** The files an npm index reads: tarballs, by name. */
export const isNpmTarball = (path: string): boolean => path.endsWith('.tgz');

/** `<name>-<version>.tgz` (the scope left out), as `npm pack` and Artifactory name a tarball of `name`. */
function namedAsTarballOf(name: string, path: string): boolean {
  const file = nameOf(path);
  const stem = `${name.slice(name.lastIndexOf('/') + 1)}-`;
  return file.startsWith(stem) && /^\d/.test(file.slice(stem.length));
}

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
      const facts = await this.#facts(principal, repo, file, name);
      // Refused at commit (EDGE-PKG-4); one stored before this Edge indexed npm, or a smart
      // remote's whose package.json is broken (EDGE-PKG-11), is left out.
      if ('invalid' in facts || facts.manifest.name !== name || byVersion.has(facts.manifest.version)) continue;
      byVersion.set(facts.manifest.version, { file, facts });
    }
    return [...byVersion.values()];
  }

  /**
   * EDGE-PKG-9: a file that cannot be read now (its upstream fails, the caller may not fetch it)
   * is left out of this answer, nothing remembered. Bytes this Edge does not hold (a smart
   * remote's uncached file) are fetched only when the file is named as `name`'s tarball, so a
   * packument does not pull a whole upstream repository through the cache.
   */
  async #facts(principal: Principal, repo: RepoRecord, file: StoredFile, name: string): Promise<Facts<NpmFacts>> {
    const open = namedAsTarballOf(name, file.path) ? () => this.files.open(principal, repo, file) : undefined;
    try {
      return await this.facts.npm({ sha256: file.checksums.sha256, size: file.size }, open);
    } catch (error) {
      if (error instanceof EdgeError) return { invalid: error.message };
      throw error;
    }
  }
}
