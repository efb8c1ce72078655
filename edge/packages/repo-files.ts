import type { Readable } from 'node:stream';
import { EdgeError } from '../../protocol/errors.ts';
import type { EdgeReads } from '../repos/reads.ts';
import { shows } from '../repos/virtual/patterns.ts';
import type { ItemRecord, MetadataStore, RepoRecord } from '../storage/metadata.ts';
import type { AccessControl } from '../trust/access.ts';
import type { Principal } from '../trust/principal.ts';

/** The package formats whose indexes this Edge computes (repository `packageType`). */
export type PackageFormat = 'npm' | 'pypi' | 'docker' | 'maven';

/** A stored file (not a folder), with the checksums every stored file has. */
export type StoredFile = ItemRecord & { checksums: NonNullable<ItemRecord['checksums']> };

const byPath = (a: ItemRecord, b: ItemRecord): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The files of a package repository an index is computed from, whatever its class, read through
 * `EdgeReads` at each request, so a bundle's commit or deletion and a smart remote's caching show
 * at once, with no second copy of the repository's contents to keep in step (decisions 0019, 0020):
 * - local: the item store;
 * - smart remote: its cache merged with the upstream's deep listing (EDGE-SR-13). An upstream
 *   entry the listing gives no SHA-256 for is left out (an index links files by their checksum);
 * - virtual: its members' files in resolution order, the first member winning for a path, each
 *   member's own `packageType` required to be the format (EDGE-PKG-10).
 * Files come back in resolution order (member by member), each repository's sorted by path:
 * "the first wins" in an index means the first of this order.
 */
export class RepoFiles {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly access: AccessControl,
    private readonly reads: EdgeReads,
  ) {}

  /** The repository `key` when it holds packages of `format`; absent otherwise, as an unknown repository is. */
  async repo(principal: Principal, key: string, format: PackageFormat): Promise<RepoRecord> {
    this.access.requireUser(principal);
    const repo = await this.metadata.repos.get(key);
    if (!repo || repo.packageType !== format) throw new EdgeError('NOT_FOUND', `Repository ${key} is not a ${format} repository on this Edge.`);
    return repo;
  }

  /** EDGE-PKG-2, EDGE-AUTH-5, EDGE-PKG-9: the files `wanted` picks that the caller may read (and download); an index lists nothing else. */
  async readable(principal: Principal, repo: RepoRecord, wanted: (path: string) => boolean): Promise<StoredFile[]> {
    if (repo.rclass !== 'virtual') return this.#own(principal, repo, wanted);
    const merged = new Map<string, StoredFile>();
    for (const member of await this.reads.members(repo)) {
      // EDGE-PKG-10: a member of another package type adds nothing to this format's index.
      if (member.repo.packageType !== repo.packageType) continue;
      for (const file of await this.#own(principal, member.repo, wanted)) {
        if (!merged.has(file.path) && shows(member.chain, file)) merged.set(file.path, file);
      }
    }
    return [...merged.values()];
  }

  /** The bytes of a file `readable` returned (the one way an index reads content, whatever the repository class); a smart remote's uncached file is pulled through its cache. */
  async open(principal: Principal, _repo: RepoRecord, file: StoredFile): Promise<Readable> {
    // `file.repo` is where the file lies: the repository itself, or the member of a virtual it came from.
    const resolved = await this.reads.resolve(principal, { repo: file.repo, path: file.path });
    return this.reads.open(principal, resolved);
  }

  /** A local or remote repository's own files. */
  async #own(principal: Principal, repo: RepoRecord, wanted: (path: string) => boolean): Promise<StoredFile[]> {
    const listed = await this.reads.list(principal, { repo, item: undefined, path: '' }, Infinity);
    const files = listed.filter((item): item is StoredFile => !item.folder && item.checksums !== null && item.checksums.sha256 !== '' && wanted(item.path));
    if (repo.rclass !== 'remote') return files.sort(byPath);
    // EDGE-PKG-9, EDGE-SR-17: an upstream file is fetched only for a caller who may cache it; for
    // anyone else the remote is its cache, so its index is too.
    const cached = new Set((await this.metadata.items.descendants(repo.key, '', Infinity)).map((item) => item.path));
    const kept: StoredFile[] = [];
    for (const file of files) if (cached.has(file.path) || (await this.access.can(principal, 'write', repo, file))) kept.push(file);
    return kept.sort(byPath);
  }
}
