import { FileList, FolderInfo } from '../../../protocol/wire/items.ts';
import { joinPath, validateRelativePath } from '../../../protocol/paths.ts';
import type { ItemRecord } from '../../storage/metadata.ts';
import type { UpstreamClient } from './upstream.ts';
import { UpstreamFailure } from './upstream.ts';

/** An upstream listing, as the Edge merges it: one entry per name below the folder. */
export type UpstreamEntry = Pick<ItemRecord, 'path' | 'folder' | 'size' | 'checksums' | 'modified'>;

/** Upstream listings remembered at most, per Edge. */
const MAX_LISTINGS = 10_000;

/**
 * EDGE-SR-13: folder listings of the upstream, each remembered for the retrieval cache period.
 * Names that are not clean relative paths (traversal, control characters, empty segments)
 * are dropped, whatever the upstream sends.
 */
export class UpstreamListings {
  readonly #cache = new Map<string, { until: number; entries: UpstreamEntry[] }>();

  constructor(private readonly now: () => number) {}

  /** The direct children of `folder` on the upstream; undefined when it has no such folder. */
  children(client: UpstreamClient, repo: string, folder: string, periodMs: number): Promise<UpstreamEntry[] | undefined> {
    return this.#remembered(`${repo}\0c\0${folder}`, periodMs, async () => {
      const answer = await readJson(client, client.storageUrl(folder));
      if (answer === undefined) return undefined;
      const info = FolderInfo.safeParse(answer);
      if (!info.success) throw new UpstreamFailure('answer', 'the folder info is not Artifactory folder info');
      return clean(
        folder,
        info.data.children.map((child) => ({ uri: child.uri, folder: child.folder })),
      );
    });
  }

  /** Everything below `folder` on the upstream down to `depth` levels, folders included. */
  descendants(client: UpstreamClient, repo: string, folder: string, depth: number, periodMs: number): Promise<UpstreamEntry[] | undefined> {
    return this.#remembered(`${repo}\0d${depth}\0${folder}`, periodMs, async () => {
      const answer = await readJson(client, client.storageUrl(folder, `?list&deep=1&depth=${depth}&listFolders=1`));
      if (answer === undefined) return undefined;
      const list = FileList.safeParse(answer);
      if (!list.success) throw new UpstreamFailure('answer', 'the file list is not an Artifactory file list');
      return clean(folder, list.data.files);
    });
  }

  /** A changed or removed repository, or a cache removal, asks again. */
  forget(repo: string): void {
    for (const key of this.#cache.keys()) if (key.startsWith(`${repo}\0`)) this.#cache.delete(key);
  }

  async #remembered(key: string, periodMs: number, load: () => Promise<UpstreamEntry[] | undefined>): Promise<UpstreamEntry[] | undefined> {
    const hit = this.#cache.get(key);
    if (hit && this.now() < hit.until) return hit.entries;
    const entries = await load();
    this.#cache.delete(key);
    if (entries && periodMs > 0) {
      this.#cache.set(key, { until: this.now() + periodMs, entries });
      if (this.#cache.size > MAX_LISTINGS) this.#cache.delete(this.#cache.keys().next().value as string);
    }
    return entries;
  }
}

async function readJson(client: UpstreamClient, url: string): Promise<unknown> {
  const answer = await client.read(url);
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new UpstreamFailure('answer', `the listing answered ${answer.status}`);
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new UpstreamFailure('answer', 'the listing is not JSON');
  }
}

type ListedEntry = { uri: string; folder: boolean; size?: string; lastModified?: string; sha1?: string | undefined; sha2?: string | undefined };

/** EDGE-SR-13: upstream names as paths of this folder; anything that is not a clean path is dropped. */
function clean(folder: string, entries: readonly ListedEntry[]): UpstreamEntry[] {
  const out: UpstreamEntry[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry.uri.startsWith('/')) continue;
    let relative: string;
    try {
      relative = validateRelativePath(decodeURIComponent(entry.uri.slice(1)));
    } catch {
      continue;
    }
    if (relative === '') continue;
    const path = joinPath(folder, relative);
    if (seen.has(path)) continue;
    seen.add(path);
    const modified = entry.lastModified ? Date.parse(entry.lastModified) : Number.NaN;
    const size = entry.size !== undefined && /^\d+$/.test(entry.size) ? Number(entry.size) : -1;
    out.push({
      path,
      folder: entry.folder,
      size: entry.folder ? -1 : size,
      checksums: !entry.folder && entry.sha1 && entry.sha2 ? { sha1: entry.sha1, sha256: entry.sha2, md5: '' } : null,
      modified: Number.isNaN(modified) ? 0 : modified,
    });
  }
  return out;
}
