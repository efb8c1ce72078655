import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ulid } from 'ulid';
import type { EdgeConfig } from './config.ts';
import type { EdgeContext } from './context.ts';
import { buildApp, type RouteSet } from './http/app.ts';
import { currentLogger } from './http/request-context.ts';
import { EdpService } from './bundles/edp.ts';
import { loggedDistributionEvents } from './bundles/events.ts';
import { feedingRefusals, RefusalFeed } from './bundles/refusal-feed.ts';
import { TrustedKeys } from './bundles/trusted-keys.ts';
import { createLogger } from './log.ts';
import { checkDataDir } from './startup/data-dir.ts';
import { lockDataDir, type DataDirLock } from './startup/data-dir-lock.ts';
import { reservePort, type PortReservation } from './startup/port.ts';
import { edpFileRoutes, edpRoutes } from './http/routes/edp.ts';
import { dockerRoutes } from './http/routes/docker.ts';
import { mavenMetadataFiles } from './http/routes/maven.ts';
import { npmRoutes } from './http/routes/npm.ts';
import { pypiRoutes } from './http/routes/pypi.ts';
import { packageAdmission } from './packages/admission.ts';
import { DockerIndex } from './packages/docker-index.ts';
import { MavenIndex } from './packages/maven-index.ts';
import { NpmIndex } from './packages/npm-index.ts';
import { PackageFacts } from './packages/package-facts.ts';
import { PypiIndex } from './packages/pypi-index.ts';
import { RepoFiles } from './packages/repo-files.ts';
import { releaseBundleRoutes } from './http/routes/release-bundles.ts';
import { trustedKeyRoutes } from './http/routes/trusted-keys.ts';
import { distributionRefusalRoutes } from './http/routes/distribution-refusals.ts';
import { uiRoutes } from './http/routes/ui.ts';
import { ArtifactService } from './repos/artifacts.ts';
import { EdgeReads } from './repos/reads.ts';
import { RemoteReads } from './repos/remote/remote-reads.ts';
import { RepositoryService } from './repos/repositories.ts';
import { contentReferences } from './storage/metadata.ts';
import type { Disk } from './storage/disk.ts';
import { openContentStore } from './storage/open-content.ts';
import { openMetadataStore } from './storage/open-metadata.ts';
import type { BeforeWrite } from './storage/sqlite/write-hook.ts';
import { AccessControl } from './trust/access.ts';
import { Authenticator } from './trust/authenticate.ts';
import { loadNodeId, NodePresence } from './cluster/node-presence.ts';
import { openCircleOfTrust, type CircleOfTrust } from './trust/circle-of-trust.ts';
import { accessRoutes } from './http/routes/access.ts';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle } from './trust/login-throttle.ts';
import { ensureAdmin } from './trust/users.ts';

const CLOSE_GRACE_MS = 5_000;

/** The lock and the port of a worker, which its primary holds (EDGE-CLU-1). */
const HELD_ELSEWHERE = { port: 0, release: async () => undefined };

export interface EdgeOptions {
  /** Injected clock (ms); tests move time without sleeping. */
  now?: () => number;
  logger?: Logger;
  /** Told a generated admin password exactly once, on the first start. */
  announceAdminPassword?: (password: string) => void;
  routes?: RouteSet[];
  /**
   * Test seams for durability tests, never set from configuration or HTTP: the disk the
   * filestore writes through, and a hook before every metadata write statement.
   */
  storage?: { disk?: Disk; beforeWrite?: BeforeWrite };
  /**
   * EDGE-CLU-1: this Edge is one worker of `edgeproof serve --workers`: the primary process
   * holds the data directory's lock and reserved the port, so the worker takes neither.
   */
  worker?: boolean;
}

export interface Edge {
  readonly app: FastifyInstance;
  readonly context: EdgeContext;
  /** Base URL once listening, e.g. http://127.0.0.1:8082 */
  readonly url: string;
  listen(): Promise<string>;
  /** Stops accepting, waits up to `graceMs` for requests in flight, then drops what is left. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Opens (or initialises) the data directory and builds the Edge. Start-up reconciles what a
 * crash may have left: temp uploads are removed, unreferenced blobs reclaimed.
 *
 * EDGE-OPS-2: whatever can refuse the start (an unusable data directory, a port in use, a data
 * directory another Edge holds) does so before anything is created or printed.
 */
export async function createEdge(config: EdgeConfig, options: EdgeOptions = {}): Promise<Edge> {
  const now = options.now ?? Date.now;
  await checkDataDir(config.dataDir);
  const port = options.worker ? HELD_ELSEWHERE : await reservePort(config.host, config.port);
  let lock: DataDirLock | undefined;
  try {
    await mkdir(config.dataDir, { recursive: true });
    lock = options.worker ? HELD_ELSEWHERE : await lockDataDir(config.dataDir);
    return await openEdge(config, options, now, port, lock);
  } catch (error) {
    await lock?.release();
    await port.release();
    throw error;
  }
}

async function openEdge(config: EdgeConfig, options: EdgeOptions, now: () => number, port: PortReservation, lock: DataDirLock): Promise<Edge> {
  const logger = options.logger ?? (await createLogger(config.logLevel));
  const metadata = await openMetadataStore(config, { beforeWrite: options.storage?.beforeWrite });
  let circle: CircleOfTrust | undefined;
  try {
    const content = await openContentStore(config, contentReferences(metadata), { disk: options.storage?.disk });
    // EDGE-OPS-8: one process at a time among those sharing the stores.
    const reclaimed = await metadata.leases.runExclusive('content-sweep', () => content.sweep());
    if (reclaimed) logger.info({ reclaimed }, 'reclaimed unreferenced content');

    // EDGE-SYS-1: created once, kept for the life of the data directory.
    const serviceId = await metadata.meta.setIfAbsent('service_id', `jfrt@${ulid(now()).toLowerCase()}`);
    await ensureAdmin(metadata.users, config.adminPassword, options.announceAdminPassword ?? (() => undefined), now());
    const repositories = new RepositoryService(metadata, content, now);
    await repositories.ensureUploadsRepo();

    const access = new AccessControl(metadata.users, { anonymousRead: config.anonymousAccess });
    circle = await openCircleOfTrust(config, serviceId, metadata, logger, now);
    const throttle = new LoginThrottle(
      now,
      { ...DEFAULT_LOGIN_THROTTLE, suspendAfterFailures: config.loginSuspendAfterFailures, maxSuspensionMs: config.loginSuspendMaxSecs * 1000 },
      (user, address, failures, ms) => currentLogger(logger).warn({ user, address, failures, suspendedSecs: ms / 1000 }, 'logins suspended after failures'),
    );
    const authenticator = new Authenticator(metadata.users, circle.verifier, now, throttle);
    const artifacts = new ArtifactService(metadata, content, access, { maxUploadBytes: config.maxUploadBytes }, now);
    const remote = new RemoteReads(metadata, content, access, { maxUploadBytes: config.maxUploadBytes }, now);
    artifacts.onCacheRemoved = (repo) => remote.forgetListings(repo);
    const reads = new EdgeReads(metadata, artifacts, content, access, remote);
    // EDGE-HA-3: nothing below caches an answer per process except memos of immutable things or
    // ones keyed on the security versions (decision 0027), so round robin over nodes is safe.
    // EDGE-HA-1, EDGE-HA-2: one serviceId for every node sharing the stores, a node id of its own.
    const node = new NodePresence(await loadNodeId(config.dataDir, config.nodeId), metadata.meta, now, config.databaseType === 'postgresql');
    await node.start((err: unknown) => logger.warn({ err }, 'node heartbeat failed'));
    const context: EdgeContext = { config, serviceId, node, metadata, content, repositories, artifacts, reads, access, authenticator, logger, now };
    // EDGE-UI-5: refusals also go to a bounded feed the UI reads.
    const refusals = new RefusalFeed(now);
    const events = feedingRefusals(
      loggedDistributionEvents(() => currentLogger(logger)),
      refusals,
    );
    const keys = new TrustedKeys(metadata.bundles, now, events);
    const transactionTtlMs = config.transactionTtlSecs * 1000;
    // EDGE-PKG-1: package indexes are computed from what the repositories hold.
    const facts = new PackageFacts(metadata.meta, content);
    const repoFiles = new RepoFiles(metadata, access, reads);
    const edp = new EdpService(
      metadata,
      metadata.bundles,
      content,
      repositories,
      keys,
      { maxBundleBytes: config.maxBundleBytes, transactionTtlMs },
      now,
      events,
      packageAdmission(metadata, facts, content),
    );
    // EDP-TX: transactions that went idle while the Edge was down expire before it serves.
    const expireStale = () => metadata.leases.runExclusive('transaction-expiry', () => edp.expireStale());
    const expired = await expireStale();
    if (expired) logger.info({ expired }, 'expired idle distribution transactions');
    const app = await buildApp(
      context,
      [
        accessRoutes(circle),
        trustedKeyRoutes(keys),
        edpRoutes(edp, transactionTtlMs),
        releaseBundleRoutes(metadata.bundles, edp),
        distributionRefusalRoutes(refusals),
        uiRoutes(),
        pypiRoutes(repoFiles, new PypiIndex(repoFiles)),
        ...(options.routes ?? []),
      ],
      // npm's and Docker's writes are refused without reading their bodies (a publish carries the tarball, a push the layers).
      [
        edpFileRoutes(edp),
        npmRoutes(repoFiles, new NpmIndex(repoFiles, facts)),
        dockerRoutes(repoFiles, new DockerIndex(repoFiles, facts, reads), circle.issuer),
      ],
      // Maven reads the plain layout: its metadata is computed where a stored file would be.
      [mavenMetadataFiles(repoFiles, new MavenIndex(repoFiles))],
    );
    const expiry = setInterval(
      () => void expireStale().catch((err: unknown) => logger.error({ err }, 'expiring transactions failed')),
      Math.min(transactionTtlMs / 4, 60_000),
    );
    expiry.unref();

    let url = '';
    return {
      app,
      context,
      get url() {
        return url;
      },
      async listen() {
        // The reservation held the port until now; the listener takes it over at once.
        await port.release();
        await app.listen({ port: config.port, host: config.host });
        const address = app.server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
        return url;
      },
      async close(graceMs = CLOSE_GRACE_MS) {
        clearInterval(expiry);
        circle?.close();
        await node.stop();
        // Graceful, but bounded: a client that never finishes its request cannot hold the
        // shutdown (or a test's teardown) forever.
        const force = setTimeout(() => app.server.closeAllConnections(), graceMs);
        await app.close();
        clearTimeout(force);
        await remote.close();
        await metadata.close();
        await port.release();
        await lock.release();
      },
    };
  } catch (error) {
    circle?.close();
    await metadata.close();
    throw error;
  }
}
