import type { Readable } from 'node:stream';
import { EdgeError } from '../../protocol/errors.ts';
import type { ContentStore } from '../storage/content.ts';
import type { ItemRecord, MetadataStore, RepoRecord } from '../storage/metadata.ts';
import type { AccessControl } from '../trust/access.ts';
import type { Principal } from '../trust/principal.ts';

/** The package formats whose indexes this Edge computes (repository `packageType`). */
export type PackageFormat = 'npm' | 'pypi' | 'docker' | 'maven';

/** A stored file (not a folder), with the checksums every stored file has. */
export type StoredFile = ItemRecord & { checksums: NonNullable<ItemRecord['checksums']> };

/**
 * The files of a package repository an index is computed from: read from the item store at each
 * request, so a bundle's commit or deletion (and later a smart remote's cache) shows at once,
 * with no second copy of the repository's contents to keep in step.
 */
export class RepoFiles {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly access: AccessControl,
    private readonly content: ContentStore,
  ) {}

  /** The repository `key` when it holds packages of `format`; absent otherwise, as an unknown repository is. */
  async repo(principal: Principal, key: string, format: PackageFormat): Promise<RepoRecord> {
    this.access.requireUser(principal);
    const repo = await this.metadata.repos.get(key);
    if (!repo || repo.packageType !== format) throw new EdgeError('NOT_FOUND', `Repository ${key} is not a ${format} repository on this Edge.`);
    return repo;
  }

  /** EDGE-PKG-2, EDGE-AUTH-5: the files `wanted` picks that the caller may read; an index lists nothing else. */
  async readable(principal: Principal, repo: RepoRecord, wanted: (path: string) => boolean): Promise<StoredFile[]> {
    const files = (await this.metadata.items.descendants(repo.key, '', Infinity)).filter(
      (item): item is StoredFile => !item.folder && item.checksums !== null && wanted(item.path),
    );
    return this.access.readable(principal, repo, files);
  }

  /** The bytes of a file `readable` returned (the one way an index reads content, whatever the repository class). */
  async open(_principal: Principal, _repo: RepoRecord, file: StoredFile): Promise<Readable> {
    return this.content.read(file.checksums.sha256, file.size);
  }
}
