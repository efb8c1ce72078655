import type { FastifyBaseLogger } from 'fastify';
import type { EdgeConfig } from './config.ts';
import type { ArtifactService } from './repos/artifacts.ts';
import type { RepositoryReads } from './repos/resolution.ts';
import type { RepositoryService } from './repos/repositories.ts';
import type { NodePresence } from './cluster/node-presence.ts';
import type { ContentStore } from './storage/content.ts';
import type { MetadataStore } from './storage/metadata.ts';
import type { AccessControl } from './trust/access.ts';
import type { Authenticator } from './trust/authenticate.ts';

/** Everything a route needs, built once at start-up. */
export interface EdgeContext {
  readonly config: EdgeConfig;
  readonly serviceId: string;
  /** This node among those sharing the stores (EDGE-HA-1). */
  readonly node: NodePresence;
  readonly metadata: MetadataStore;
  readonly content: ContentStore;
  readonly repositories: RepositoryService;
  readonly artifacts: ArtifactService;
  /** Reads of any repository class (local, remote, virtual): what GET/HEAD and the storage API use. */
  readonly reads: RepositoryReads;
  readonly access: AccessControl;
  readonly authenticator: Authenticator;
  readonly logger: FastifyBaseLogger;
  readonly now: () => number;
}
