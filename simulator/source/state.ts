import { lookup as mimeLookup } from 'mime-types';
import { checksumsOf, type Checksums } from '../../protocol/checksums.ts';
import { EdgeError } from '../../protocol/errors.ts';
import { ancestorsOf, nameOf, parentOf, validateRepoKey } from '../../protocol/paths.ts';
import type { WireItem } from '../../protocol/wire/items.ts';
import { setPropertyValues, type Properties } from '../../protocol/wire/properties.ts';
import type { WireRepository } from '../../protocol/wire/repositories.ts';

/**
 * Everything the source Artifactory holds, in memory: repositories, their items (file bytes
 * included: simulator content is test-sized) and the signed bundles it has stored. Times come
 * from the injected clock so runs are reproducible.
 */

interface ItemBase {
  repo: string;
  /** Relative path inside the repository, never '' (the root is not an item). */
  path: string;
  created: number;
  modified: number;
  createdBy: string;
  modifiedBy: string;
  properties: Properties;
}

export interface FileItem extends ItemBase {
  kind: 'file';
  /** Never mutated after it is stored, so clones may share it. */
  bytes: Buffer;
  size: number;
  checksums: Checksums;
  mimeType: string;
}

export interface FolderItem extends ItemBase {
  kind: 'folder';
}

export type Item = FileItem | FolderItem;

/** An item as the wire shapes see it; the source keeps no separate metadata time. */
export function wireItem(item: Item): WireItem {
  const file = item.kind === 'file' ? item : undefined;
  return {
    repo: item.repo,
    path: item.path,
    folder: file === undefined,
    size: file?.size ?? 0,
    checksums: file?.checksums ?? null,
    mimeType: file?.mimeType ?? null,
    created: item.created,
    createdBy: item.createdBy,
    modified: item.modified,
    modifiedBy: item.modifiedBy,
    updated: item.modified,
  };
}

export interface Repository {
  key: string;
  /** Only local repositories: the source hosts content, it proxies nothing. */
  rclass: 'local';
  packageType: string;
  description: string;
  created: number;
  items: Map<string, Item>;
}

export function wireRepository(repo: Repository): WireRepository {
  return { key: repo.key, rclass: repo.rclass, packageType: repo.packageType, description: repo.description };
}

export interface BundleArtifact {
  /** Path in the bundle and on the Edge: `<repo>/<path>`. */
  repoPath: string;
  /** Where the clone sits in the storing repository (without the repository key). */
  storedPath: string;
  checksum: string;
  size: number;
  props: { key: string; values: string[] }[];
}

export interface StoredBundle {
  name: string;
  version: string;
  /** The compact JWS as given, kept character for character. */
  jws: string;
  created: number;
  artifacts: BundleArtifact[];
  /** What the store request said, so a repeat can be told from a conflicting one. */
  fingerprint: string;
}

export class SourceState {
  readonly #repos = new Map<string, Repository>();
  readonly #bundles = new Map<string, StoredBundle>();

  constructor(private readonly now: () => number) {}

  createRepository(key: string, options: { packageType?: string; description?: string } = {}): Repository {
    validateRepoKey(key);
    // jfrog-compat.md §1.7: creating an existing key is a 400.
    if (this.#repos.has(key)) throw new EdgeError('REPO_EXISTS', `Repository ${key} already exists`);
    const repo: Repository = {
      key,
      rclass: 'local',
      packageType: options.packageType ?? 'generic',
      description: options.description ?? '',
      created: this.now(),
      items: new Map(),
    };
    this.#repos.set(key, repo);
    return repo;
  }

  repository(key: string): Repository | undefined {
    return this.#repos.get(key);
  }

  requireRepository(key: string): Repository {
    const repo = this.#repos.get(key);
    if (!repo) throw new EdgeError('NOT_FOUND', `Repository ${key} does not exist`);
    return repo;
  }

  repositories(): Repository[] {
    return [...this.#repos.values()];
  }

  item(repo: string, path: string): Item | undefined {
    return this.#repos.get(repo)?.items.get(path);
  }

  /** Stores a file (replacing one at the same path), creating its parent folders. */
  deployFile(repoKey: string, path: string, bytes: Buffer, properties: Properties, user: string, checksums = checksumsOf(bytes)): FileItem {
    const repo = this.requireRepository(repoKey);
    const existing = repo.items.get(path);
    if (existing?.kind === 'folder') throw new EdgeError('ITEM_TYPE_CONFLICT', `${repoKey}/${path} is a folder`);
    this.#ensureFolders(repo, ancestorsOf(path), user);
    const now = this.now();
    const file: FileItem = {
      kind: 'file',
      repo: repoKey,
      path,
      bytes,
      size: bytes.length,
      checksums,
      mimeType: mimeLookup(nameOf(path)) || 'application/octet-stream',
      created: existing?.created ?? now,
      createdBy: existing?.createdBy ?? user,
      modified: now,
      modifiedBy: user,
      properties: copyProperties(properties),
    };
    repo.items.set(path, file);
    return file;
  }

  /** Creates a folder and its parents; an existing folder is returned unchanged. */
  createFolder(repoKey: string, path: string, user: string): FolderItem {
    const repo = this.requireRepository(repoKey);
    this.#ensureFolders(repo, [...ancestorsOf(path), path], user);
    return repo.items.get(path) as FolderItem;
  }

  /** Direct children of a folder ('' is the root), by name. */
  children(repoKey: string, folder: string): Item[] {
    return this.descendants(repoKey, folder, 1);
  }

  /** Items below a folder down to `depth` levels, by path. */
  descendants(repoKey: string, folder: string, depth: number): Item[] {
    const repo = this.requireRepository(repoKey);
    const prefix = folder === '' ? '' : `${folder}/`;
    const baseDepth = folder === '' ? 0 : folder.split('/').length;
    return [...repo.items.values()]
      .filter((item) => item.path.startsWith(prefix) && item.path.split('/').length - baseDepth <= depth)
      .sort((a, b) => compareText(a.path, b.path));
  }

  /** Deletes an item, and everything below it when it is a folder. */
  deleteItem(repoKey: string, path: string): boolean {
    const repo = this.requireRepository(repoKey);
    const item = repo.items.get(path);
    if (!item) return false;
    if (item.kind === 'folder') for (const below of this.descendants(repoKey, path, Infinity)) repo.items.delete(below.path);
    repo.items.delete(path);
    return true;
  }

  /** Sets the given keys (replacing their values), on the item and, if asked, everything below. */
  setProperties(repoKey: string, path: string, properties: Properties, recursive: boolean): void {
    for (const item of this.#targets(repoKey, path, recursive)) {
      // EDGE-IN-7: `__proto__`, `constructor` and the like are plain own keys.
      for (const [key, values] of Object.entries(properties)) setPropertyValues(item.properties, key, values);
    }
  }

  deleteProperties(repoKey: string, path: string, keys: string[], recursive: boolean): void {
    for (const item of this.#targets(repoKey, path, recursive)) {
      for (const key of keys) if (Object.hasOwn(item.properties, key)) delete item.properties[key];
    }
  }

  /** A stored file whose content has every given checksum (deploy by checksum, §1.2). */
  findContent(expected: Partial<Checksums>): FileItem | undefined {
    for (const repo of this.#repos.values()) {
      for (const item of repo.items.values()) {
        if (item.kind !== 'file') continue;
        const checks = Object.entries(expected) as [keyof Checksums, string][];
        if (checks.every(([algorithm, hex]) => item.checksums[algorithm] === hex)) return item;
      }
    }
    return undefined;
  }

  /** Every item of every repository (what AQL searches). */
  *allItems(): Iterable<Item> {
    for (const repo of this.#repos.values()) yield* repo.items.values();
  }

  bundle(name: string, version: string): StoredBundle | undefined {
    return this.#bundles.get(bundleKey(name, version));
  }

  putBundle(bundle: StoredBundle): void {
    this.#bundles.set(bundleKey(bundle.name, bundle.version), bundle);
  }

  #targets(repoKey: string, path: string, recursive: boolean): Item[] {
    const item = this.item(repoKey, path);
    if (!item) throw new EdgeError('NOT_FOUND', `${repoKey}/${path} does not exist`);
    // jfrog-compat.md §1.6: on a folder, property changes are recursive unless recursive=0.
    return item.kind === 'folder' && recursive ? [item, ...this.descendants(repoKey, path, Infinity)] : [item];
  }

  #ensureFolders(repo: Repository, paths: string[], user: string): void {
    for (const path of paths) {
      const existing = repo.items.get(path);
      if (existing?.kind === 'file') {
        throw new EdgeError('ITEM_TYPE_CONFLICT', `${repo.key}/${path} is a file, so it cannot be a folder`);
      }
      if (existing) continue;
      const now = this.now();
      repo.items.set(path, {
        kind: 'folder',
        repo: repo.key,
        path,
        created: now,
        modified: now,
        createdBy: user,
        modifiedBy: user,
        properties: {},
      });
    }
  }
}

/** The folder an item sits in, as AQL names it: '.' for the repository root. */
export function aqlPathOf(item: Item): string {
  const parent = parentOf(item.path);
  return parent === '' ? '.' : parent;
}

/** Plain code-unit order: the same on every platform and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function copyProperties(properties: Properties): Properties {
  return Object.fromEntries(Object.entries(properties).map(([key, values]) => [key, [...values]]));
}

function bundleKey(name: string, version: string): string {
  return `${name}\n${version}`;
}
