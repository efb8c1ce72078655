import { lookup as mimeLookup } from 'mime-types';
import type { Checksums } from '../../protocol/checksums.ts';
import { EdgeError, READ_ONLY_MESSAGE } from '../../protocol/errors.ts';
import { nameOf, type ItemAddress } from '../../protocol/paths.ts';
import { checksumDeployKey, checksumMismatch, expectedChecksums, firstMismatch } from '../../protocol/wire/checksum-headers.ts';
import type { HeaderRecord } from '../../protocol/wire/headers.ts';
import { validatePropertyKey, type Properties } from '../../protocol/wire/properties.ts';
import type { ContentStore } from '../storage/content.ts';
import type { ItemRecord, MetadataStore, RepoRecord } from '../storage/metadata.ts';
import type { AccessControl, Action, PathItem } from '../trust/access.ts';
import { principalName, type Principal } from '../trust/principal.ts';
import { UPLOADS_REPO } from './repositories.ts';

export interface ArtifactLimits {
  maxUploadBytes: number;
}

/** What the Edge knows of an item of a smart remote repository (EDGE-SR-12, EDGE-SR-15). */
export interface RemoteView {
  /** The item's URL on the upstream. */
  remoteUrl: string;
  /** The item's path in the upstream repository (`X-Artifactory-Origin-Remote-Path`). */
  originPath: string;
  originAbsent: boolean;
  /** Not in the cache: the upstream described it, and reading it fetches it (EDGE-SR-4). */
  uncached: boolean;
}

/** What a path resolves to: a stored item, or the repository root; for a smart remote, what the upstream said of it. */
export type Resolved = { repo: RepoRecord; item: ItemRecord | undefined; path: string; remote?: RemoteView };

const ROOT: PathItem = { path: '', folder: true };

export function notFound(repo: string, path: string): EdgeError {
  return new EdgeError('NOT_FOUND', `Could not find resource '${repo}/${path}'.`);
}

export function mimeTypeOf(path: string): string {
  return mimeLookup(nameOf(path)) || 'application/octet-stream';
}

/**
 * Artifacts in local repositories: deploy, read, delete, copy and move, properties. Every
 * write passes `assertWritable` first (EDGE-RO-1): on an Edge only the uploads repository
 * accepts writes, whoever asks.
 */
export class ArtifactService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly content: ContentStore,
    private readonly access: AccessControl,
    private readonly limits: ArtifactLimits,
    private readonly now: () => number,
  ) {}

  async repo(key: string): Promise<RepoRecord> {
    const repo = await this.metadata.repos.get(key);
    if (!repo) throw new EdgeError('NOT_FOUND', `Repository ${key} does not exist`);
    return repo;
  }

  /** EDGE-RO-1: refuse any write to a repository other than the uploads repository (a Maven one too: `mvn deploy`, EDGE-MVN-6). */
  assertWritable(repo: RepoRecord): void {
    if (repo.key !== UPLOADS_REPO) throw new EdgeError('EDGE_READ_ONLY', READ_ONLY_MESSAGE);
  }

  /** The repository for a write: it must exist and be writable before anything else is looked at. */
  async writableRepo(key: string): Promise<RepoRecord> {
    const repo = await this.repo(key);
    this.assertWritable(repo);
    return repo;
  }

  /** Resolves a path for reading; unreadable looks exactly like absent (EDGE-AUTH-3). */
  async resolve(principal: Principal, address: Pick<ItemAddress, 'repo' | 'path'>): Promise<Resolved> {
    this.access.requireUser(principal);
    const absent = () => notFound(address.repo, address.path);
    const repo = await this.metadata.repos.get(address.repo);
    if (!repo) throw absent();
    const item = address.path === '' ? undefined : await this.metadata.items.get(repo.key, address.path);
    if (address.path !== '' && !item) throw absent();
    await this.access.requireRead(principal, repo, item ?? ROOT, absent);
    return { repo, item, path: address.path };
  }

  /** EDGE-AUTH-5: the direct children of a resolved folder that the caller may read. */
  async children(principal: Principal, { repo, path }: Resolved): Promise<ItemRecord[]> {
    return this.access.readable(principal, repo, await this.metadata.items.children(repo.key, path));
  }

  /** EDGE-AUTH-5: what a resolved folder holds down to `depth` levels, as far as the caller may read it. */
  async list(principal: Principal, { repo, path }: Resolved, depth: number): Promise<ItemRecord[]> {
    return this.access.readable(principal, repo, await this.metadata.items.descendants(repo.key, path, depth));
  }

  async deploy(
    principal: Principal,
    address: ItemAddress,
    headers: HeaderRecord,
    body: AsyncIterable<Uint8Array>,
    declaredLength: number | undefined,
  ): Promise<ItemRecord> {
    const repo = await this.writableRepo(address.repo);
    if (address.path === '') throw new EdgeError('BAD_PATH', 'Invalid path: a file needs a name below the repository root.');
    const expected = expectedChecksums(headers);
    await this.#authorizeWrite(principal, repo, address.path);
    const properties = validateProperties(address.matrix);
    // EDGE-IN-6: a declared length over the limit is refused before a byte is read.
    if (declaredLength !== undefined && declaredLength > this.limits.maxUploadBytes) throw tooLarge(this.limits.maxUploadBytes);
    const staged = await this.content.stage(body, {
      maxBytes: this.limits.maxUploadBytes,
      tooLarge,
    });
    // EDGE-ART-1: what the client vouched for must be what arrived, or nothing is kept.
    const mismatch = checksumMismatch(`${repo.key}/${address.path}`, expected, staged.checksums);
    if (mismatch) {
      await staged.discard();
      throw mismatch;
    }
    const at = this.now();
    const { replaced } = await this.content.commit(staged, () =>
      this.metadata.items.putFile({
        repo: repo.key,
        path: address.path,
        size: staged.size,
        checksums: staged.checksums,
        mimeType: mimeTypeOf(address.path),
        by: principalName(principal),
        at,
        properties,
      }),
    );
    if (replaced?.checksums && replaced.checksums.sha256 !== staged.checksums.sha256) await this.content.release([replaced.checksums.sha256]);
    return (await this.metadata.items.get(repo.key, address.path)) as ItemRecord;
  }

  /** EDGE-ART-4 (jfrog-compat.md §1.2): copy content the caller can already read; 404 asks for an upload. */
  async deployByChecksum(principal: Principal, address: ItemAddress, headers: HeaderRecord): Promise<ItemRecord> {
    const repo = await this.writableRepo(address.repo);
    if (address.path === '') throw new EdgeError('BAD_PATH', 'Invalid path: a file needs a name below the repository root.');
    const expected = expectedChecksums(headers);
    const { algorithm, hex } = checksumDeployKey(expected);
    await this.#authorizeWrite(principal, repo, address.path);
    const properties = validateProperties(address.matrix);
    const source = await this.#readableCopy(principal, algorithm, hex);
    // Content the caller may not read answers exactly as content that does not exist.
    const unknown = () =>
      new EdgeError('CHECKSUM_DEPLOY_UNKNOWN', `Checksum deploy failed: no content with ${algorithm} '${hex}' is available. Upload the content.`);
    if (!source?.checksums || firstMismatch(expected, source.checksums)) throw unknown();
    const checksums = source.checksums;
    const at = this.now();
    const result = await this.content.reference(checksums.sha256, () =>
      this.metadata.items.putFile({
        repo: repo.key,
        path: address.path,
        size: source.size,
        checksums,
        mimeType: mimeTypeOf(address.path),
        by: principalName(principal),
        at,
        properties,
      }),
    );
    if (!result) throw unknown();
    if (result.replaced?.checksums && result.replaced.checksums.sha256 !== checksums.sha256) {
      await this.content.release([result.replaced.checksums.sha256]);
    }
    return (await this.metadata.items.get(repo.key, address.path)) as ItemRecord;
  }

  async createFolder(principal: Principal, address: ItemAddress): Promise<ItemRecord | undefined> {
    const repo = await this.writableRepo(address.repo);
    await this.access.require(principal, 'write', repo, { path: address.path, folder: true });
    if (address.path === '') return undefined;
    await this.metadata.items.putFolder(repo.key, address.path, principalName(principal), this.now());
    return this.metadata.items.get(repo.key, address.path);
  }

  /** EDGE-AUTH-6: removes what the caller may see below the path; what they may not see stays. */
  async delete(principal: Principal, address: Pick<ItemAddress, 'repo' | 'path'>): Promise<void> {
    const found = await this.repo(address.repo);
    if (found.rclass === 'remote') return this.#deleteCached(principal, found, address.path);
    const repo = await this.writableRepo(address.repo);
    const root = address.path === '' ? undefined : await this.metadata.items.get(repo.key, address.path);
    await this.access.require(principal, 'delete', repo, root ?? { path: address.path, folder: address.path === '' });
    if (address.path !== '' && !root) throw notFound(repo.key, address.path);
    const items = await this.#visibleTree(principal, repo, address.path, root);
    await this.#requireOnEach(principal, 'delete', repo, items);
    const released = await this.metadata.items.deleteItems(
      repo.key,
      items.map((item) => item.path),
    );
    await this.content.release(released);
  }

  /**
   * EDGE-SR-16: cache management: an admin, and only an admin, removes cached files and folders
   * of a smart remote (the whole cache at the root); the next request fetches them again.
   */
  async #deleteCached(principal: Principal, repo: RepoRecord, path: string): Promise<void> {
    this.access.requireAdmin(principal);
    const root = path === '' ? undefined : await this.metadata.items.get(repo.key, path);
    if (path !== '' && !root) throw notFound(repo.key, path);
    const items = await this.#visibleTree(principal, repo, path, root);
    const released = await this.metadata.items.deleteItems(
      repo.key,
      items.map((item) => item.path),
    );
    await this.content.release(released);
    this.onCacheRemoved(repo.key);
  }

  /** Told when cached content of a smart remote was removed (the remote forgets what it listed). */
  onCacheRemoved: (repo: string) => void = () => undefined;

  /**
   * EDGE-AUTH-6 (decision 0007): copies or moves the items below `from` that the caller may
   * read; the others stay where they are, unnamed and uncounted. A visible item the caller may
   * not move, or whose target they may not write or overwrite, refuses the whole operation.
   */
  async copyOrMove(
    principal: Principal,
    from: Pick<ItemAddress, 'repo' | 'path'>,
    requested: Pick<ItemAddress, 'repo' | 'path'>,
    options: { move: boolean; dryRun: boolean },
  ): Promise<{ files: number; folders: number }> {
    // EDGE-RO-2: copy and move touch only the uploads repository, at both ends.
    const source = await this.writableRepo(from.repo);
    const target = await this.writableRepo(requested.repo);
    if (from.path === '') throw new EdgeError('BAD_PATH', 'Invalid path: copy or move a file or folder, not a repository root.');
    // EDGE-AUTH-6 (decision 0007): a repository root as the target receives the source under it,
    // by name, as Artifactory copies into an existing folder; no item is ever at path ''.
    const to = requested.path === '' ? { repo: requested.repo, path: from.path.slice(from.path.lastIndexOf('/') + 1) } : requested;
    await this.access.require(principal, 'write', target, to.path);
    const { item: root } = await this.resolve(principal, { repo: source.key, path: from.path });
    if (to.repo === from.repo && (to.path === from.path || to.path.startsWith(`${from.path}/`))) {
      throw new EdgeError('BAD_REQUEST', 'Cannot copy or move an item into itself.');
    }
    const items = await this.#visibleTree(principal, source, from.path, root);
    if (options.move) await this.#requireOnEach(principal, 'delete', source, items);
    const targetOf = (path: string) => to.path + path.slice(from.path.length);
    for (const item of items) {
      const at = { path: targetOf(item.path), folder: item.folder };
      await this.access.require(principal, 'write', target, at);
      const existing = await this.metadata.items.get(target.key, at.path);
      // Overwriting is deleting what was there (Artifactory's Delete/Overwrite permission).
      if (existing && !existing.folder) await this.access.require(principal, 'delete', target, existing);
    }
    const files = items.filter((item) => !item.folder).length;
    if (options.dryRun) return { files, folders: items.length - files };
    const paths = items.map((item) => item.path);
    const result = await this.metadata.items.copyItems(from, to, paths, { move: options.move, by: principalName(principal), at: this.now() });
    await this.content.release(result.released);
    return { files: result.files, folders: result.folders };
  }

  async getProperties(principal: Principal, address: Pick<ItemAddress, 'repo' | 'path'>): Promise<Properties> {
    const { repo, path } = await this.resolve(principal, address);
    if (path === '') return {};
    return this.metadata.properties.get(repo.key, path);
  }

  /** EDGE-AUTH-6: a recursive change reaches only the items below that the caller may see. */
  async patchProperties(
    principal: Principal,
    address: Pick<ItemAddress, 'repo' | 'path'>,
    patch: Record<string, string[] | null>,
    recursive: boolean,
  ): Promise<void> {
    const repo = await this.writableRepo(address.repo);
    const item = address.path === '' ? undefined : await this.metadata.items.get(repo.key, address.path);
    await this.access.require(principal, 'annotate', repo, item ?? { path: address.path, folder: address.path === '' });
    if (address.path === '') throw new EdgeError('BAD_PATH', 'Invalid path: properties belong to files and folders, not to a repository root.');
    if (!item) throw notFound(repo.key, address.path);
    for (const key of Object.keys(patch)) validatePropertyKey(key);
    const items = recursive ? await this.#visibleTree(principal, repo, item.path, item) : [item];
    await this.#requireOnEach(principal, 'annotate', repo, items);
    await this.metadata.properties.patch(
      repo.key,
      items.map((i) => i.path),
      patch,
    );
  }

  async #authorizeWrite(principal: Principal, repo: RepoRecord, path: string): Promise<void> {
    await this.access.require(principal, 'write', repo, path);
    const existing = await this.metadata.items.get(repo.key, path);
    if (existing?.folder) throw new EdgeError('ITEM_TYPE_CONFLICT', `Cannot deploy '${repo.key}/${path}': it is a folder.`);
    // Overwriting is deleting what was there (Artifactory's Delete/Overwrite permission).
    if (existing) await this.access.require(principal, 'delete', repo, path);
  }

  /** The item at `path` (none for the root) and everything below it the caller may read. */
  async #visibleTree(principal: Principal, repo: RepoRecord, path: string, root: ItemRecord | undefined): Promise<ItemRecord[]> {
    const below = root && !root.folder ? [] : await this.metadata.items.descendants(repo.key, path, Infinity);
    return [...(root ? [root] : []), ...(await this.access.readable(principal, repo, below))];
  }

  /** Visible items are named in the refusal: the caller may read them, so nothing leaks. */
  async #requireOnEach(principal: Principal, action: Action, repo: RepoRecord, items: ItemRecord[]): Promise<void> {
    for (const item of items) await this.access.require(principal, action, repo, item);
  }

  /** EDGE-ART-4: a stored file with this checksum that the caller may read where it is. */
  async #readableCopy(principal: Principal, algorithm: keyof Checksums, hex: string): Promise<ItemRecord | undefined> {
    const repos = new Map<string, RepoRecord>();
    for (const repo of await this.metadata.repos.list()) {
      if (await this.access.can(principal, 'read', repo, ROOT)) repos.set(repo.key, repo);
    }
    for (const item of await this.metadata.items.withChecksum(algorithm, hex, [...repos.keys()])) {
      if (await this.access.can(principal, 'read', repos.get(item.repo) as RepoRecord, item)) return item;
    }
    return undefined;
  }
}

function tooLarge(max: number): EdgeError {
  return new EdgeError('BODY_TOO_LARGE', `The request body is larger than the limit of ${max} bytes.`);
}

function validateProperties(properties: Properties): Properties {
  for (const key of Object.keys(properties)) validatePropertyKey(key);
  return properties;
}
