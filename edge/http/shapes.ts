import type { ItemRecord } from '../storage/metadata.ts';

/** JFrog's JSON shapes for items (jfrog-wire.md §1.1, §1.4). Sizes are strings, as JFrog sends them. */

const iso = (ms: number): string => new Date(ms).toISOString();
const slashPath = (path: string): string => `/${path}`;
const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

export function itemUrls(base: string, repo: string, path: string): { uri: string; downloadUri: string } {
  const tail = path === '' ? repo : `${repo}/${encodePath(path)}`;
  return { uri: `${base}/api/storage/${tail}`, downloadUri: `${base}/${tail}` };
}

export function itemCreatedJson(base: string, item: ItemRecord): Record<string, unknown> {
  const { downloadUri } = itemUrls(base, item.repo, item.path);
  const body: Record<string, unknown> = {
    repo: item.repo,
    path: slashPath(item.path),
    created: iso(item.created),
    createdBy: item.createdBy,
    downloadUri,
    uri: downloadUri,
  };
  if (!item.folder && item.checksums) {
    Object.assign(body, {
      mimeType: item.mimeType,
      size: String(item.size),
      checksums: { ...item.checksums },
      originalChecksums: { ...item.checksums },
    });
  }
  return body;
}

export function fileInfoJson(base: string, item: ItemRecord): Record<string, unknown> {
  return {
    repo: item.repo,
    path: slashPath(item.path),
    created: iso(item.created),
    createdBy: item.createdBy,
    lastModified: iso(item.modified),
    modifiedBy: item.modifiedBy,
    lastUpdated: iso(item.updated),
    ...itemUrls(base, item.repo, item.path),
    mimeType: item.mimeType,
    size: String(item.size),
    checksums: { ...item.checksums },
    originalChecksums: { ...item.checksums },
  };
}

export function folderInfoJson(
  base: string,
  repo: string,
  folder: ItemRecord | undefined,
  children: ItemRecord[],
  createdFallback: number,
): Record<string, unknown> {
  const path = folder?.path ?? '';
  return {
    repo,
    path: slashPath(path),
    created: iso(folder?.created ?? createdFallback),
    createdBy: folder?.createdBy ?? 'system',
    lastModified: iso(folder?.modified ?? createdFallback),
    modifiedBy: folder?.modifiedBy ?? 'system',
    lastUpdated: iso(folder?.updated ?? createdFallback),
    uri: itemUrls(base, repo, path).uri,
    // The docs print "true"/"false" strings; real servers and clients use booleans (decision 0003).
    children: children.map((child) => ({ uri: `/${child.path.slice(path === '' ? 0 : path.length + 1)}`, folder: child.folder })),
  };
}

export function fileListJson(base: string, repo: string, folder: string, items: ItemRecord[], created: number): Record<string, unknown> {
  const files = items.map((item) => {
    const entry: Record<string, unknown> = {
      uri: `/${item.path.slice(folder === '' ? 0 : folder.length + 1)}`,
      size: item.folder ? '-1' : String(item.size),
      lastModified: iso(item.modified),
      folder: item.folder,
    };
    if (item.checksums) Object.assign(entry, { sha1: item.checksums.sha1, sha2: item.checksums.sha256 });
    return entry;
  });
  return { uri: itemUrls(base, repo, folder).uri, created: iso(created), files };
}
