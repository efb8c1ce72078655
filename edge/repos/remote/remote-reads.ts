import type { Readable } from 'node:stream';
import { EdgeError } from '../../../protocol/errors.ts';
import { ItemProperties } from '../../../protocol/wire/properties.ts';
import type { ByteRange, ContentStore } from '../../storage/content.ts';
import type { ItemRecord, MetadataStore, RepoRecord } from '../../storage/metadata.ts';
import type { AccessControl, PathItem } from '../../trust/access.ts';
import { principalName, type Principal } from '../../trust/principal.ts';
import { mimeTypeOf, notFound, type ArtifactLimits, type RemoteView, type Resolved } from '../artifacts.ts';
import { remoteConfigOf, type RemoteConfig } from './config.ts';
import { declaredBy, looksLikeFolder, type Declared } from './declared.ts';
import { Flight, FlightMiss } from './flight.ts';
import { UpstreamHealth } from './health.ts';
import { UpstreamListings, type UpstreamEntry } from './listing.ts';
import { SharedFetches } from './shared-fetch.ts';
import { UpstreamClient, UpstreamFailure } from './upstream.ts';

const ROOT: PathItem = { path: '', folder: true };

/** What the upstream says a path is, before anything is downloaded. */
type Description = { folder: true } | { folder: false; declared: Declared };

/** Who made a cached item: the upstream's answer, on behalf of the first caller who asked. */
const UPSTREAM_USER = '_upstream';

/**
 * Reads of smart remote repositories (EDGE-SR-3..15, 17, 18): the cache first, then the
 * upstream through one shared download per file. docs/smart-remote.md lists every upstream call.
 */
export class RemoteReads {
  readonly #clients = new Map<string, { signature: string; client: UpstreamClient }>();
  readonly #flights = new Map<string, Flight>();
  readonly #probes = new Map<string, Promise<Description>>();
  readonly #health: UpstreamHealth;
  readonly #shared: SharedFetches;
  readonly #listings: UpstreamListings;

  constructor(
    private readonly metadata: MetadataStore,
    private readonly content: ContentStore,
    private readonly access: AccessControl,
    private readonly limits: ArtifactLimits,
    private readonly now: () => number,
  ) {
    this.#health = new UpstreamHealth(metadata.upstreamMemory, now);
    this.#shared = new SharedFetches(metadata.upstreamMemory, now, async (repo, path) => (await metadata.items.get(repo, path))?.folder === false);
    this.#listings = new UpstreamListings(now);
  }

  /** EDGE-SR-3, EDGE-SR-17: the cached item, or what the upstream says of the path. */
  async resolve(principal: Principal, repo: RepoRecord, path: string): Promise<Resolved> {
    this.access.requireUser(principal);
    const absent = () => notFound(repo.key, path);
    if (path === '') {
      await this.access.requireRead(principal, repo, ROOT, absent);
      return { repo, item: undefined, path };
    }
    const config = this.#config(repo);
    const client = this.#client(config);
    const cached = await this.metadata.items.get(repo.key, path);
    if (cached) {
      await this.access.requireRead(principal, repo, cached, absent);
      const origin = await this.metadata.remoteCache.origin(repo.key, path);
      const remote = { remoteUrl: origin?.remoteUrl ?? client.fileUrl(path), originPath: path, originAbsent: origin?.originAbsent ?? false, uncached: false };
      return { repo, item: cached, path, remote };
    }
    // EDGE-SR-17 (decision 0017): the upstream is asked only for callers who may read the path
    // and cache it (JFrog's Deploy/Cache); anyone else sees the cache alone.
    const asFolder = { path, folder: true };
    if (!(await this.access.can(principal, 'read', repo, asFolder)) || !(await this.access.can(principal, 'write', repo, asFolder))) throw absent();
    const description = await this.#describe(config, client, path, principal);
    const view: RemoteView = { remoteUrl: client.fileUrl(path), originPath: path, originAbsent: false, uncached: true };
    const at = this.now();
    const stamps = { repo: repo.key, path, created: at, createdBy: UPSTREAM_USER, modified: at, modifiedBy: UPSTREAM_USER, updated: at };
    if (description.folder) return { repo, item: { ...stamps, folder: true, size: -1, checksums: null, mimeType: null }, path, remote: view };
    const asFile = { path, folder: false };
    if (!(await this.access.can(principal, 'read', repo, asFile)) || !(await this.access.can(principal, 'write', repo, asFile))) throw absent();
    const { declared } = description;
    const modified = declared.modified ?? at;
    const item: ItemRecord = {
      ...stamps,
      modified,
      updated: modified,
      folder: false,
      size: declared.size ?? -1,
      checksums: { sha256: declared.checksums.sha256 ?? '', sha1: declared.checksums.sha1 ?? '', md5: declared.checksums.md5 ?? '' },
      mimeType: mimeTypeOf(path),
    };
    this.#declared.set(item, declared);
    return { repo, item, path, remote: view };
  }

  /** What the HEAD declared for a described, uncached item: the download must match it too. */
  readonly #declared = new WeakMap<ItemRecord, Declared>();

  /**
   * EDGE-SR-4, EDGE-SR-7: a cached file's bytes, or the bytes of the one download of it, as
   * they pass into the cache. A range of an uncached file waits for the whole file (decision 0017).
   */
  async open(principal: Principal, resolved: Resolved, range?: ByteRange): Promise<Readable> {
    const { repo, item, path } = resolved;
    if (!item || item.folder) throw new EdgeError('NOT_A_FILE', 'Not a file.');
    const config = this.#config(repo);
    if (!resolved.remote?.uncached) {
      if (config.propertiesSync) await this.#syncProperties(config, path);
      return this.#readCached(item, range);
    }
    const refusal = (error: unknown) => this.#refuse(config, path, error);
    let flight = this.#flights.get(`${repo.key}\0${path}`);
    if (!flight) {
      const cached = await this.metadata.items.get(repo.key, path);
      if (cached && !cached.folder) return this.#readCached(cached, range);
      flight = await this.#fetch(config, path, this.#declared.get(item), principal).catch(refusal);
      if (!flight) {
        // EDGE-HA-5: another process downloaded it meanwhile; the cache has it.
        const stored = await this.metadata.items.get(repo.key, path);
        if (!stored || stored.folder) throw notFound(repo.key, path);
        return this.#readCached(stored, range);
      }
    }
    if (range) {
      const { cached } = await flight.done.catch(refusal);
      const stored = cached ? await this.metadata.items.get(repo.key, path) : undefined;
      if (!stored) throw notFound(repo.key, path);
      return this.#readCached(stored, range);
    }
    await flight.started.catch(refusal);
    const reader = flight.reader();
    if (reader) return reader;
    const stored = await this.metadata.items.get(repo.key, path);
    if (!stored || stored.folder) throw notFound(repo.key, path);
    return this.#readCached(stored);
  }

  /** EDGE-SR-13: cached children merged with the upstream's, each name once, as far as the caller may read. */
  async children(principal: Principal, resolved: Resolved): Promise<ItemRecord[]> {
    const { repo, path } = resolved;
    const cached = await this.metadata.items.children(repo.key, path);
    const config = this.#config(repo);
    const upstream = await this.#upstreamListing(config, (client) => this.#listings.children(client, repo.key, path, config.retrievalCachePeriodMs));
    if (upstream) await this.#noteAbsence(config, cached, upstream);
    const merged = merge(repo.key, cached, upstream ?? []).sort((a, b) => Number(b.folder) - Number(a.folder) || compare(a.path, b.path));
    return this.access.readable(principal, repo, merged);
  }

  /** EDGE-SR-13: `?list` of a remote folder: the cache and the upstream's list merged. */
  async list(principal: Principal, resolved: Resolved, depth: number): Promise<ItemRecord[]> {
    const { repo, path } = resolved;
    const cached = await this.metadata.items.descendants(repo.key, path, depth);
    const config = this.#config(repo);
    const upstream = await this.#upstreamListing(config, (client) =>
      this.#listings.descendants(client, repo.key, path, Math.min(depth, 1000), config.retrievalCachePeriodMs),
    );
    const merged = merge(repo.key, cached, upstream ?? []).sort((a, b) => compare(a.path, b.path));
    return this.access.readable(principal, repo, merged);
  }

  /**
   * EDGE-SR-15: storage info of a cached file asks the upstream whether it still has it, once
   * per retrieval cache period, and marks the file when it does not.
   */
  async refresh(resolved: Resolved): Promise<Resolved> {
    const { repo, item, path, remote } = resolved;
    if (!remote || remote.uncached || !item || item.folder) return resolved;
    const config = this.#config(repo);
    if (!config.originAbsenceDetection) return resolved;
    const origin = await this.metadata.remoteCache.origin(repo.key, path);
    if (!origin || this.now() - origin.checked < config.retrievalCachePeriodMs) return resolved;
    // Asked only once the upstream is to be asked: a file checked within the period costs no read of the upstream's memory.
    if (!(await this.#mayAsk(config))) return resolved;
    const client = this.#client(config);
    let status: number;
    try {
      status = (await client.read(client.storageUrl(path))).status;
    } catch (error) {
      await this.#noteFailure(config, error);
      return resolved;
    }
    if (status !== 200 && status !== 404) return resolved;
    await this.metadata.remoteCache.markChecked(repo.key, path, this.now(), status === 404);
    return { ...resolved, remote: { ...remote, originAbsent: status === 404 } };
  }

  /** EDGE-SR-16: a removed cache entry is fetched again, and listings asked again. */
  forgetListings(repo: string): void {
    this.#listings.forget(repo);
  }

  #readCached(item: ItemRecord, range?: ByteRange): Readable {
    const checksums = item.checksums;
    if (!checksums) throw new EdgeError('NOT_A_FILE', 'Not a file.');
    return this.content.read(checksums.sha256, item.size, range);
  }

  /** EDGE-SR-8..11: what the upstream says of an uncached path, asked once however many ask at once. */
  async #describe(config: RemoteConfig, client: UpstreamClient, path: string, principal: Principal): Promise<Description> {
    const absent = () => notFound(config.key, path);
    // EDGE-SR-10: an offline remote serves its cache and nothing else.
    if (config.offline || config.blackedOut) throw absent();
    // EDGE-SR-9
    if (await this.#health.assumedOffline(config.key)) throw this.#unavailable(config, path, 'it is assumed offline after a failure');
    // EDGE-SR-8
    if (await this.#health.missed(config.key, path)) throw absent();
    const key = `${config.key}\0${path}`;
    const running = this.#flights.get(key);
    const described = running
      ? fromFlight(running)
      : config.bypassHeadRequests
        ? this.#fetch(config, path, undefined, principal).then((flight) => (flight ? fromFlight(flight) : this.#fromCache(config.key, path)))
        : (this.#probes.get(key) ?? this.#probe(client, path, key));
    return described.catch((error: unknown) => this.#refuse(config, path, error));
  }

  #probe(client: UpstreamClient, path: string, key: string): Promise<Description> {
    const probe = (async (): Promise<Description> => {
      const answer = await client.send('HEAD', client.fileUrl(path));
      await answer.body.dump();
      if (answer.status === 404) throw new FlightMiss(false);
      if (answer.status !== 200) throw new UpstreamFailure('answer', `HEAD answered ${answer.status}`);
      if (looksLikeFolder(answer)) return { folder: true };
      const declared = declaredBy(answer);
      // EDGE-SR-18
      if (declared.size !== undefined && declared.size > this.limits.maxUploadBytes) {
        throw new UpstreamFailure('answer', `the file is ${declared.size} bytes, more than the ${this.limits.maxUploadBytes} this Edge accepts`);
      }
      return { folder: false, declared };
    })();
    this.#probes.set(key, probe);
    void probe.catch(() => undefined).finally(() => this.#probes.delete(key));
    return probe;
  }

  /**
   * EDGE-SR-7, EDGE-HA-5: this process's download of the file, joined or claimed in the store
   * and started; undefined when another process cached the file meanwhile.
   */
  #fetch(config: RemoteConfig, path: string, earlier: Declared | undefined, principal: Principal): Promise<Flight | undefined> {
    const key = `${config.key}\0${path}`;
    const running = this.#flights.get(key);
    if (running) return Promise.resolve(running);
    return this.#shared.flight(config.key, path, () => this.#flights.get(key) ?? this.#start(config, path, earlier, principal));
  }

  /** What the cache holds of a file another process downloaded, as an upstream answer would declare it. */
  async #fromCache(repo: string, path: string): Promise<Description> {
    const item = await this.metadata.items.get(repo, path);
    if (!item) throw new FlightMiss(false);
    if (item.folder || !item.checksums) return { folder: true };
    return { folder: false, declared: { checksums: item.checksums, size: item.size, modified: item.modified } };
  }

  /** EDGE-SR-7: the one download of a file in this process; it leaves the table when it is over. */
  #start(config: RemoteConfig, path: string, earlier: Declared | undefined, principal: Principal): Flight {
    const key = `${config.key}\0${path}`;
    const client = this.#client(config);
    const flight = new Flight(
      client,
      path,
      {
        maxBytes: this.limits.maxUploadBytes,
        openStaging: () => this.content.openStaging({ maxBytes: this.limits.maxUploadBytes, tooLarge: (max) => tooLarge(max) }),
        keep: async (staged, declared) => {
          if (!config.storeArtifactsLocally) {
            await staged.discard();
            return false;
          }
          const properties = config.propertiesSync ? await this.#upstreamProperties(client, path).catch(() => undefined) : undefined;
          const at = this.now();
          const file = {
            repo: config.key,
            path,
            size: staged.size,
            checksums: staged.checksums,
            mimeType: mimeTypeOf(path),
            by: principalName(principal),
            at: declared.modified ?? at,
            properties: properties ?? {},
          };
          const { replaced } = await this.content.commit(staged, () =>
            this.metadata.remoteCache.putCached(file, { remoteUrl: client.fileUrl(path), checked: at, originAbsent: false }),
          );
          if (replaced?.checksums && replaced.checksums.sha256 !== staged.checksums.sha256) await this.content.release([replaced.checksums.sha256]);
          return true;
        },
      },
      earlier,
    );
    this.#flights.set(key, flight);
    void flight.done
      .catch((error: unknown) => this.#refusal(config, path, error))
      .finally(() => {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      });
    return flight;
  }

  /** Rejects with the refusal a client gets for a failed upstream exchange, once it is remembered. */
  async #refuse(config: RemoteConfig, path: string, error: unknown): Promise<never> {
    throw await this.#refusal(config, path, error);
  }

  /**
   * The refusal a client gets for a failed upstream exchange; remembers misses and failures
   * first (EDGE-HA-5: in the store), so the next request, on any node, honours them.
   */
  async #refusal(config: RemoteConfig, path: string, error: unknown): Promise<unknown> {
    if (error instanceof EdgeError) return error;
    if (error instanceof FlightMiss) {
      if (!error.folder) await this.#health.rememberMiss(config.key, path, config.missedRetrievalCachePeriodMs).catch(() => undefined);
      return notFound(config.key, path);
    }
    if (error instanceof UpstreamFailure) {
      await this.#noteFailure(config, error);
      return this.#unavailable(config, path, error.message);
    }
    return error;
  }

  /** EDGE-SR-11: with hardFail a 502 naming the repository and its configured URL; else the absent 404. */
  #unavailable(config: RemoteConfig, path: string, reason: string): EdgeError {
    if (!config.hardFail) return notFound(config.key, path);
    return new EdgeError('UPSTREAM_UNAVAILABLE', `The upstream of remote repository '${config.key}' (${config.url}) is unavailable: ${reason}.`);
  }

  /** EDGE-SR-9: no answer at all makes the upstream assumed offline for the period. */
  async #noteFailure(config: RemoteConfig, error: unknown): Promise<void> {
    if (error instanceof UpstreamFailure && error.kind === 'connect')
      await this.#health.failedToConnect(config.key, config.assumedOfflinePeriodMs).catch(() => undefined);
  }

  async #mayAsk(config: RemoteConfig): Promise<boolean> {
    return !config.offline && !config.blackedOut && !(await this.#health.assumedOffline(config.key));
  }

  async #upstreamListing(config: RemoteConfig, load: (client: UpstreamClient) => Promise<UpstreamEntry[] | undefined>): Promise<UpstreamEntry[] | undefined> {
    if (!config.listRemoteFolderItems || !(await this.#mayAsk(config))) return undefined;
    try {
      return await load(this.#client(config));
    } catch (error) {
      await this.#noteFailure(config, error);
      return undefined;
    }
  }

  /** EDGE-SR-15: cached files of the folder that the upstream's listing no longer names are marked. */
  async #noteAbsence(config: RemoteConfig, cached: readonly ItemRecord[], upstream: readonly UpstreamEntry[]): Promise<void> {
    if (!config.originAbsenceDetection) return;
    const named = new Set(upstream.map((entry) => entry.path));
    const at = this.now();
    for (const item of cached) if (!item.folder) await this.metadata.remoteCache.markChecked(config.key, item.path, at, !named.has(item.path));
  }

  /** EDGE-SR-14: the cached item's properties become the upstream's. */
  async #syncProperties(config: RemoteConfig, path: string): Promise<void> {
    if (!(await this.#mayAsk(config))) return;
    let upstream: Record<string, string[]> | undefined;
    try {
      upstream = await this.#upstreamProperties(this.#client(config), path);
    } catch (error) {
      await this.#noteFailure(config, error);
      return;
    }
    if (!upstream) return;
    const current = await this.metadata.properties.get(config.key, path);
    const patch: Record<string, string[] | null> = {};
    for (const key of Object.keys(current)) if (!Object.hasOwn(upstream, key)) patch[key] = null;
    for (const [key, values] of Object.entries(upstream)) patch[key] = values;
    if (Object.keys(patch).length > 0) await this.metadata.properties.patch(config.key, [path], patch);
  }

  /** The upstream's properties of a file: {} when it has none, undefined when it cannot say. */
  async #upstreamProperties(client: UpstreamClient, path: string): Promise<Record<string, string[]> | undefined> {
    const answer = await client.read(client.storageUrl(path, '?properties'));
    // jfrog-compat.md §1.6: 404 "No properties could be found." for a file without properties.
    if (answer.status === 404) return {};
    if (answer.status !== 200) return undefined;
    try {
      const parsed = ItemProperties.safeParse(JSON.parse(answer.text));
      return parsed.success ? parsed.data.properties : undefined;
    } catch {
      return undefined;
    }
  }

  /** The configuration as stored now; a change starts the repository's upstream state afresh. */
  #config(repo: RepoRecord): RemoteConfig {
    return remoteConfigOf(repo);
  }

  #client(config: RemoteConfig): UpstreamClient {
    const signature = JSON.stringify([config.url, config.username, config.password, config.socketTimeoutMillis]);
    const known = this.#clients.get(config.key);
    if (known?.signature === signature) return known.client;
    if (known) {
      void known.client.close().catch(() => undefined);
      this.#health.forget(config.key);
      this.#listings.forget(config.key);
    }
    const client = new UpstreamClient(config);
    this.#clients.set(config.key, { signature, client });
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#clients.values()].map(({ client }) => client.close().catch(() => undefined)));
    this.#clients.clear();
  }
}

async function fromFlight(flight: Flight): Promise<Description> {
  const { declared } = await flight.started;
  return { folder: false, declared };
}

function tooLarge(max: number): EdgeError {
  return new EdgeError('BODY_TOO_LARGE', `The upstream file is larger than the limit of ${max} bytes.`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** EDGE-SR-13: each path once; the cache's item wins over the upstream's description. */
function merge(repo: string, cached: readonly ItemRecord[], upstream: readonly UpstreamEntry[]): ItemRecord[] {
  const byPath = new Map(cached.map((item) => [item.path, item]));
  for (const entry of upstream) {
    if (byPath.has(entry.path)) continue;
    byPath.set(entry.path, {
      repo,
      path: entry.path,
      folder: entry.folder,
      size: entry.size,
      checksums: entry.checksums,
      mimeType: entry.folder ? null : mimeTypeOf(entry.path),
      created: entry.modified,
      createdBy: UPSTREAM_USER,
      modified: entry.modified,
      modifiedBy: UPSTREAM_USER,
      updated: entry.modified,
    });
  }
  return [...byPath.values()];
}
