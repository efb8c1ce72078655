import { buffer } from 'node:stream/consumers';
import { EdgeError } from '../../protocol/errors.ts';
import { blobName, isTagFolder, layoutOf, LIST_MANIFEST_FILE, MANIFEST_FILE, sha256Of, type ManifestFacts } from '../../protocol/wire/oci.ts';
import { whereItLies, type RepositoryReads, type Resolved } from '../repos/resolution.ts';
import type { ItemRecord, RepoRecord } from '../storage/metadata.ts';
import type { Principal } from '../trust/principal.ts';
import type { PackageFacts } from './package-facts.ts';
import type { RepoFiles } from './repo-files.ts';

/** A manifest or blob found in the layout, resolved for serving (through the read seam: a remote's pulls through). */
export interface Located {
  resolved: Resolved;
  item: ItemRecord;
  /** The digest's hex: what `Docker-Content-Digest` says. */
  sha256: string;
}

export interface LocatedManifest extends Located {
  facts: ManifestFacts;
}

/** How many manifest locations are remembered (a few hundred bytes each). */
const SEEN_LIMIT = 10_000;

const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));

/**
 * EDGE-OCI-2: a Docker repository's images, tags, manifests and blobs, rebuilt at each request
 * from Artifactory's storage layout (`<image>/<tag>/manifest.json` or `list.manifest.json`,
 * blobs beside as `sha256__<hex>`, a multi-arch image's platforms in `<image>/sha256__<hex>/`).
 * Nothing is pushed through `/v2/` on an Edge: the layout is all there is.
 *
 * Listing (tags, a digest's manifest, a blob's file) goes through `RepoFiles`, so it shows only
 * what the caller may read (EDGE-AUTH-5) whatever the repository class. What maps to a path
 * without listing is also resolved by path through the read seam, which works for every class
 * already: a tag's manifest, a multi-arch platform's `sha256__<hex>/manifest.json`, and a blob
 * beside a manifest that references it. A smart remote whose listing shows only its cache, or
 * a virtual, is thereby pulled from by a client that starts at a tag, as `docker pull` does
 * (decision 0021).
 */
export class DockerIndex {
  /** `repo\0image` → manifest sha256 → path: where manifests served by path were, for the digest requests that follow. */
  readonly #seen = new Map<string, Map<string, string>>();
  #seenCount = 0;

  constructor(
    private readonly files: RepoFiles,
    private readonly facts: PackageFacts,
    private readonly reads: RepositoryReads,
  ) {}

  /** The image's tags, or undefined when the repository lists no manifest of that image. */
  async tags(principal: Principal, repo: RepoRecord, image: string): Promise<string[] | undefined> {
    const manifests = await this.#listedManifests(principal, repo, image);
    if (manifests.length === 0) return undefined;
    const tags = new Set<string>();
    for (const path of manifests) {
      const entry = layoutOf(path);
      if (entry.kind === 'manifest' && isTagFolder(entry.folder)) tags.add(entry.folder);
    }
    return [...tags];
  }

  /**
   * EDGE-OCI-3: the manifest a reference names: for a tag, `list.manifest.json` (a multi-arch
   * image) or else `manifest.json` in the tag's folder; for a digest, the image's manifest whose
   * SHA-256 is that digest, wherever in the image it is stored. A manifest that does not parse
   * is absent (refused at commit, EDGE-OCI-7; one stored another way is left out).
   */
  async manifest(principal: Principal, repo: RepoRecord, image: string, reference: string): Promise<LocatedManifest | undefined> {
    const hex = sha256Of(reference);
    const paths =
      hex === undefined
        ? isTagFolder(reference)
          ? [`${image}/${reference}/${LIST_MANIFEST_FILE}`, `${image}/${reference}/${MANIFEST_FILE}`]
          : []
        : [
            ...(await this.files.readable(principal, repo, (path) => this.#isManifestOf(path, image)))
              .filter((f) => f.checksums.sha256 === hex)
              .map((f) => f.path),
            ...[this.#seenIn(repo, image).get(hex)].filter((path): path is string => path !== undefined),
            `${image}/${blobName(hex)}/${MANIFEST_FILE}`,
          ];
    for (const path of new Set(paths)) {
      const found = await this.#manifestAt(principal, repo, path);
      if (found && (hex === undefined || found.sha256 === hex)) {
        this.#remember(repo, image, found);
        return found;
      }
    }
    return undefined;
  }

  /**
   * EDGE-OCI-4: a blob of the image: a `sha256__<hex>` file in one of its folders whose content
   * hashes to the digest: one the repository lists, or one beside a manifest that references it.
   */
  async blob(principal: Principal, repo: RepoRecord, image: string, sha256: string): Promise<Located | undefined> {
    const listed = await this.files.readable(principal, repo, (path) => {
      const entry = layoutOf(path);
      return entry.kind === 'blob' && entry.image === image && entry.sha256 === sha256;
    });
    const direct = await this.#blobAt(principal, repo, listed.map((file) => file.path).sort(), sha256);
    if (direct) return direct;
    // Not listed (a remote's file its upstream listing did not name yet): beside a manifest that
    // references it. Only then are the image's manifests read, so a listed blob costs no scan.
    const beside: string[] = [];
    for (const manifest of new Set([...(await this.#listedManifests(principal, repo, image)), ...this.#seenIn(repo, image).values()])) {
      const found = await this.#manifestAt(principal, repo, manifest);
      if (found?.facts.references.includes(sha256)) beside.push(`${folderOf(manifest)}/${blobName(sha256)}`);
    }
    return this.#blobAt(principal, repo, beside, sha256);
  }

  /** The first of `paths` the caller may read that holds the blob `sha256`. */
  async #blobAt(principal: Principal, repo: RepoRecord, paths: readonly string[], sha256: string): Promise<Located | undefined> {
    for (const path of new Set(paths)) {
      const resolved = await this.#resolve(principal, repo, path);
      const item = resolved?.item;
      // A file named for a digest its bytes do not have is never served as that digest (a
      // remote's file not cached yet may not have declared its SHA-256: the client checks it).
      if (
        resolved &&
        item &&
        !item.folder &&
        (item.checksums?.sha256 === sha256 || (item.checksums?.sha256 === '' && whereItLies(resolved).remote?.uncached))
      ) {
        return { resolved, item, sha256 };
      }
    }
    return undefined;
  }

  /** EDGE-OCI-5: the image's listed manifests that name the digest as their `subject` (OCI 1.1 referrers). */
  async referrers(principal: Principal, repo: RepoRecord, image: string, sha256: string): Promise<LocatedManifest[]> {
    const found = new Map<string, LocatedManifest>();
    for (const path of await this.#listedManifests(principal, repo, image)) {
      const manifest = await this.#manifestAt(principal, repo, path);
      if (manifest?.facts.subject === sha256 && !found.has(manifest.sha256)) found.set(manifest.sha256, manifest);
    }
    return [...found.values()];
  }

  /** The manifest at `path`, with its facts; a remote's is cached first, so its SHA-256 is known. */
  async #manifestAt(principal: Principal, repo: RepoRecord, path: string): Promise<LocatedManifest | undefined> {
    let resolved = await this.#resolve(principal, repo, path);
    if (resolved && whereItLies(resolved).remote?.uncached) {
      await buffer(await this.reads.open(principal, resolved));
      resolved = await this.#resolve(principal, repo, path);
    }
    const item = resolved?.item;
    const sha256 = item?.checksums?.sha256;
    if (!resolved || !item || item.folder || !sha256) return undefined;
    const at = resolved;
    const facts = await this.facts.docker({ sha256, size: item.size }, () => this.reads.open(principal, at));
    return 'invalid' in facts ? undefined : { resolved, item, sha256, facts };
  }

  async #resolve(principal: Principal, repo: RepoRecord, path: string): Promise<Resolved | undefined> {
    try {
      return await this.reads.resolve(principal, { repo: repo.key, path });
    } catch (error) {
      if (error instanceof EdgeError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  #isManifestOf(path: string, image: string): boolean {
    const entry = layoutOf(path);
    return entry.kind === 'manifest' && entry.image === image;
  }

  async #listedManifests(principal: Principal, repo: RepoRecord, image: string): Promise<string[]> {
    return (await this.files.readable(principal, repo, (path) => this.#isManifestOf(path, image))).map((file) => file.path).sort();
  }

  #seenIn(repo: RepoRecord, image: string): Map<string, string> {
    return this.#seen.get(`${repo.key}\0${image}`) ?? new Map();
  }

  #remember(repo: RepoRecord, image: string, found: LocatedManifest): void {
    const key = `${repo.key}\0${image}`;
    const seen = this.#seen.get(key) ?? new Map<string, string>();
    if (seen.get(found.sha256) === found.resolved.path) return;
    if (this.#seenCount >= SEEN_LIMIT) {
      this.#seen.clear();
      this.#seenCount = 0;
    }
    seen.set(found.sha256, found.resolved.path);
    this.#seen.set(key, seen);
    this.#seenCount += 1;
  }
}
