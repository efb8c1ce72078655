import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { manifestOf, type NpmManifest } from '../../protocol/wire/npm-packument.ts';
import { parseManifest, type ManifestFacts } from '../../protocol/wire/oci.ts';
import type { ContentStore } from '../storage/content.ts';
import type { MetaStore } from '../storage/metadata.ts';
import { readNpmTarball } from './npm-tarball.ts';

/** What the npm index needs of a tarball, read from it once. */
export interface NpmFacts {
  manifest: NpmManifest;
  /** base64 SHA-512 of the tarball (`dist.integrity`). */
  sha512: string;
}

export type Facts<T> = T | { invalid: string };

/** Bumped when what is extracted changes, so facts read by an older Edge are read again. */
const KEY_PREFIX = 'package-facts/v1';
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * What the package indexes know of each file, kept by content (SHA-256): the same bytes give the
 * same facts wherever they are stored, so facts never go stale and are read from the bytes once
 * per Edge, at the bundle's commit (EDGE-PKG-1), not per request. Kept in the metadata store's
 * write-once key/value table, so they survive a restart on any metadata backend; a request finds
 * them in memory after the first.
 */
export class PackageFacts {
  readonly #memo = new Map<string, Facts<NpmFacts> | Facts<ManifestFacts>>();

  constructor(
    private readonly meta: MetaStore,
    private readonly content: ContentStore,
  ) {}

  /**
   * The npm facts of a tarball: remembered, or read from its bytes now (and remembered when
   * valid); without `open`, only from bytes the content store holds. `open` gives the bytes when they are not (yet) in the content store, as for a smart
   * remote's uncached file (EDGE-PKG-9; reading them caches them); they are then checked against
   * `sha256` before anything is remembered under it, so bytes that are not what a listing said
   * never lend their facts to the content that is.
   */
  async npm(file: { sha256: string; size: number }, open?: () => Promise<Readable>): Promise<Facts<NpmFacts>> {
    const key = `${KEY_PREFIX}/npm/${file.sha256}`;
    const known = this.#memo.get(key) as Facts<NpmFacts> | undefined;
    if (known) return known;
    const stored = await this.meta.get(key);
    if (stored !== undefined) return this.#remember(key, JSON.parse(stored) as NpmFacts);
    // Bytes the content store holds under this SHA-256 are those bytes; only others need checking.
    const held = await this.content.has(file.sha256);
    if (!held && !open) return { invalid: 'its bytes are not on this Edge' };
    const unverified = !held;
    const reading = await readNpmTarball(unverified && open ? await open() : this.content.read(file.sha256, file.size));
    // A broken archive is hashed only as far as it could be read, so its facts are not remembered either.
    if (unverified && reading.sha256 !== file.sha256) return { invalid: `its bytes are not those listed (sha256 ${file.sha256})` };
    if ('invalid' in reading) return this.#remember(key, { invalid: reading.invalid });
    const read = manifestOf(reading.packageJson);
    if ('invalid' in read) return this.#remember(key, read);
    const facts: NpmFacts = { manifest: read.manifest, sha512: reading.sha512 };
    await this.meta.setIfAbsent(key, JSON.stringify(facts));
    return this.#remember(key, facts);
  }

  /**
   * EDGE-OCI-3: a Docker/OCI manifest's media type and references, parsed once per content, as
   * `npm` reads a tarball: from the content store when it holds the bytes, else from `open`
   * (checked against `sha256` first). Manifests are small: read whole, at most 4 MiB (the limit
   * registries commonly apply).
   */
  async docker(file: { sha256: string; size: number }, open?: () => Promise<Readable>): Promise<Facts<ManifestFacts>> {
    const key = `${KEY_PREFIX}/docker/${file.sha256}`;
    const known = this.#memo.get(key) as Facts<ManifestFacts> | undefined;
    if (known) return known;
    const stored = await this.meta.get(key);
    if (stored !== undefined) return this.#remember(key, JSON.parse(stored) as ManifestFacts);
    if (file.size > MAX_MANIFEST_BYTES) return this.#remember(key, { invalid: `it is larger than ${MAX_MANIFEST_BYTES} bytes` });
    const held = await this.content.has(file.sha256);
    if (!held && !open) return { invalid: 'its bytes are not on this Edge' };
    const bytes = await buffer(held || !open ? this.content.read(file.sha256, file.size) : await open());
    if (!held && createHash('sha256').update(bytes).digest('hex') !== file.sha256) return { invalid: `its bytes are not those listed (sha256 ${file.sha256})` };
    const read = parseManifest(bytes);
    if ('invalid' in read) return this.#remember(key, read);
    await this.meta.setIfAbsent(key, JSON.stringify(read));
    return this.#remember(key, read);
  }

  #remember<T extends Facts<NpmFacts> | Facts<ManifestFacts>>(key: string, facts: T): T {
    this.#memo.set(key, facts);
    return facts;
  }
}
