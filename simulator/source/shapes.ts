import { encodePath } from './http.ts';
import type { FileItem, Item, Repository } from './state.ts';

/**
 * JFrog's JSON shapes for repositories and items. Sizes are strings and paths start with '/',
 * as Artifactory sends them.
 */

export const MEDIA = {
  itemCreated: 'application/vnd.org.jfrog.artifactory.storage.ItemCreated+json',
  fileInfo: 'application/vnd.org.jfrog.artifactory.storage.FileInfo+json',
  folderInfo: 'application/vnd.org.jfrog.artifactory.storage.FolderInfo+json',
  fileList: 'application/vnd.org.jfrog.artifactory.storage.FileList+json',
  itemProperties: 'application/vnd.org.jfrog.artifactory.storage.ItemProperties+json',
  repositoryList: 'application/vnd.org.jfrog.artifactory.repositories.RepositoryDetailsList+json',
  repositoryConfig: 'application/vnd.org.jfrog.artifactory.repositories.LocalRepositoryConfiguration+json',
} as const;

const iso = (ms: number): string => new Date(ms).toISOString();

export function itemUrls(base: string, repo: string, path: string): { uri: string; downloadUri: string } {
  const tail = path === '' ? repo : `${repo}/${encodePath(path)}`;
  return { uri: `${base}/api/storage/${tail}`, downloadUri: `${base}/${tail}` };
}

/** jfrog-wire.md §1.1: the 201 body of a deploy (`uri` is the download URL there). */
export function itemCreatedJson(base: string, item: Item): Record<string, unknown> {
  const { downloadUri } = itemUrls(base, item.repo, item.path);
  const body: Record<string, unknown> = {
    repo: item.repo,
    path: `/${item.path}`,
    created: iso(item.created),
    createdBy: item.createdBy,
    downloadUri,
    uri: downloadUri,
  };
  if (item.kind === 'file') {
    Object.assign(body, { mimeType: item.mimeType, size: String(item.size), checksums: { ...item.checksums }, originalChecksums: { ...item.checksums } });
  }
  return body;
}

/** jfrog-wire.md §1.4 file info. */
export function fileInfoJson(base: string, item: FileItem): Record<string, unknown> {
  return {
    repo: item.repo,
    path: `/${item.path}`,
    created: iso(item.created),
    createdBy: item.createdBy,
    lastModified: iso(item.modified),
    modifiedBy: item.modifiedBy,
    lastUpdated: iso(item.modified),
    ...itemUrls(base, item.repo, item.path),
    mimeType: item.mimeType,
    size: String(item.size),
    checksums: { ...item.checksums },
    originalChecksums: { ...item.checksums },
  };
}

/**
 * jfrog-wire.md §1.4 folder info; `folder` is a boolean as real servers send it (the docs print
 * a string, §8 gap 7). The root has no item of its own, so it borrows the repository's time.
 */
export function folderInfoJson(base: string, repo: Repository, path: string, folder: Item | undefined, children: Item[]): Record<string, unknown> {
  const created = folder?.created ?? repo.created;
  const modified = folder?.modified ?? repo.created;
  return {
    repo: repo.key,
    path: `/${path}`,
    created: iso(created),
    createdBy: folder?.createdBy ?? 'system',
    lastModified: iso(modified),
    modifiedBy: folder?.modifiedBy ?? 'system',
    lastUpdated: iso(modified),
    uri: itemUrls(base, repo.key, path).uri,
    children: children.map((child) => ({ uri: `/${relativeTo(path, child.path)}`, folder: child.kind === 'folder' })),
  };
}

/** jfrog-wire.md §1.4 `?list`: folders have size "-1". */
export function fileListJson(base: string, repo: Repository, path: string, created: number, items: Item[]): Record<string, unknown> {
  const files = items.map((item) => {
    const entry: Record<string, unknown> = {
      uri: `/${relativeTo(path, item.path)}`,
      size: item.kind === 'file' ? String(item.size) : '-1',
      lastModified: iso(item.modified),
      folder: item.kind === 'folder',
    };
    if (item.kind === 'file') Object.assign(entry, { sha1: item.checksums.sha1, sha2: item.checksums.sha256 });
    return entry;
  });
  return { uri: itemUrls(base, repo.key, path).uri, created: iso(created), files };
}

/** jfrog-wire.md §1.7: the list form uses upper-case `type` and a capitalised `packageType`. */
export function repositoryListEntry(base: string, repo: Repository): Record<string, unknown> {
  return {
    key: repo.key,
    type: 'LOCAL',
    description: repo.description,
    url: `${base}/${repo.key}`,
    packageType: repo.packageType.charAt(0).toUpperCase() + repo.packageType.slice(1),
  };
}

/** jfrog-wire.md §1.7: a single repository's configuration carries `rclass`. */
export function repositoryConfigJson(repo: Repository): Record<string, unknown> {
  return {
    key: repo.key,
    rclass: repo.rclass,
    packageType: repo.packageType,
    description: repo.description,
    includesPattern: '**/*',
    excludesPattern: '',
    repoLayoutRef: 'simple-default',
    checksumPolicyType: 'client-checksums',
  };
}

export function relativeTo(folder: string, path: string): string {
  return folder === '' ? path : path.slice(folder.length + 1);
}
