import { z } from 'zod';
import type { Checksums } from '../checksums.ts';
import { childUri, encodePath, itemUrls } from './urls.ts';

/**
 * JFrog's JSON shapes for items (jfrog-compat.md §1.1, §1.4): each shape as a schema (what
 * clients parse) and a builder (what servers send). Sizes are strings and paths start with
 * '/', as Artifactory sends them; times are ISO 8601.
 */

/** What the shapes need to know of a stored file or folder; times in ms since the epoch. */
/** The storage API (jfrog-compat.md §1.4): item info, lists and properties under `<repo>/<path>`. */
export const STORAGE_API = '/artifactory/api/storage';

/** `/artifactory/api/storage/<repo>/<path>`, each segment encoded. */
export function storagePath(repoPath: string): string {
  return `${STORAGE_API}/${encodePath(repoPath)}`;
}

export interface WireItem {
  repo: string;
  /** Relative path inside the repository, never '' (the root is no item). */
  path: string;
  folder: boolean;
  size: number;
  /** null for folders. */
  checksums: Checksums | null;
  mimeType: string | null;
  created: number;
  createdBy: string;
  modified: number;
  modifiedBy: string;
  /** Last change of the content or its metadata: Artifactory's `lastUpdated`. */
  updated: number;
}

const checksums = z.looseObject({ sha1: z.string(), sha256: z.string(), md5: z.string() });

/** What every item answer starts with: where the item is, and who created it when. */
const ItemHead = z.looseObject({ repo: z.string(), path: z.string(), created: z.string(), createdBy: z.string() });

export const ItemCreated = ItemHead.extend({
  downloadUri: z.string(),
  uri: z.string(),
  mimeType: z.string().optional(),
  size: z.string().optional(),
  checksums: checksums.optional(),
  originalChecksums: checksums.optional(),
});
export type ItemCreated = z.infer<typeof ItemCreated>;

/** What file info and folder info share: also who changed it last, and when. */
const ItemInfo = ItemHead.extend({
  lastModified: z.string(),
  modifiedBy: z.string(),
  lastUpdated: z.string(),
  uri: z.string(),
});

export const FileInfo = ItemInfo.extend({
  downloadUri: z.string(),
  mimeType: z.string(),
  size: z.string(),
  checksums,
  originalChecksums: checksums,
});
export type FileInfo = z.infer<typeof FileInfo>;

export const FolderInfo = ItemInfo.extend({
  // The docs print "true"/"false" strings; real servers and clients use booleans (decision 0003).
  children: z.array(z.looseObject({ uri: z.string(), folder: z.boolean() })),
});
export type FolderInfo = z.infer<typeof FolderInfo>;

export const FileList = z.looseObject({
  uri: z.string(),
  created: z.string(),
  files: z.array(
    z.looseObject({
      uri: z.string(),
      size: z.string(),
      lastModified: z.string(),
      folder: z.boolean(),
      sha1: z.string().optional(),
      sha2: z.string().optional(),
    }),
  ),
});
export type FileList = z.infer<typeof FileList>;

/** `POST /api/copy|move/...`: what was done, as Artifactory's messages. */
export const CopyMoveResult = z.looseObject({ messages: z.array(z.looseObject({ level: z.string(), message: z.string() })) });
export type CopyMoveResult = z.infer<typeof CopyMoveResult>;

const iso = (ms: number): string => new Date(ms).toISOString();

function fileMembers(item: WireItem, checksums: Checksums) {
  return {
    mimeType: item.mimeType ?? 'application/octet-stream',
    size: String(item.size),
    checksums: { ...checksums },
    originalChecksums: { ...checksums },
  };
}

/** §1.1, EDGE-ART-6: the 201 body of a deploy; `uri` is the download URL there. */
export function itemCreatedJson(base: string, item: WireItem): ItemCreated {
  const { downloadUri } = itemUrls(base, item.repo, item.path);
  const body: ItemCreated = {
    repo: item.repo,
    path: `/${item.path}`,
    created: iso(item.created),
    createdBy: item.createdBy,
    downloadUri,
    uri: downloadUri,
  };
  return !item.folder && item.checksums ? { ...body, ...fileMembers(item, item.checksums) } : body;
}

type Stamps = Pick<WireItem, 'created' | 'createdBy' | 'modified' | 'modifiedBy' | 'updated'>;

function itemInfo(repo: string, path: string, stamps: Stamps) {
  return {
    repo,
    path: `/${path}`,
    created: iso(stamps.created),
    createdBy: stamps.createdBy,
    lastModified: iso(stamps.modified),
    modifiedBy: stamps.modifiedBy,
    lastUpdated: iso(stamps.updated),
  };
}

/** §1.4, EDGE-ART-9: file info. */
export function fileInfoJson(base: string, item: WireItem & { checksums: Checksums }): FileInfo {
  return { ...itemInfo(item.repo, item.path, item), ...itemUrls(base, item.repo, item.path), ...fileMembers(item, item.checksums) };
}

/**
 * §1.4 folder info of `path` ('' is the root). The root has no item of its own, so it borrows
 * `rootCreated` (the repository's creation) for its times.
 */
export function folderInfoJson(
  base: string,
  repo: string,
  path: string,
  folder: WireItem | undefined,
  children: readonly Pick<WireItem, 'path' | 'folder'>[],
  rootCreated: number,
): FolderInfo {
  const stamps = folder ?? { created: rootCreated, createdBy: 'system', modified: rootCreated, modifiedBy: 'system', updated: rootCreated };
  return {
    ...itemInfo(repo, path, stamps),
    uri: itemUrls(base, repo, path).uri,
    children: children.map((child) => ({ uri: childUri(path, child.path), folder: child.folder })),
  };
}

/** §1.4, EDGE-ART-9 `?list`: folders have size "-1"; `created` is the listed folder's. */
export function fileListJson(base: string, repo: string, path: string, items: readonly WireItem[], created: number): FileList {
  const files = items.map((item) => {
    const entry: FileList['files'][number] = {
      uri: childUri(path, item.path),
      size: item.folder ? '-1' : String(item.size),
      lastModified: iso(item.modified),
      folder: item.folder,
    };
    return item.checksums ? { ...entry, sha1: item.checksums.sha1, sha2: item.checksums.sha256 } : entry;
  });
  return { uri: itemUrls(base, repo, path).uri, created: iso(created), files };
}
