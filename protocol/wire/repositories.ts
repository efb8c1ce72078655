import { z } from 'zod';
import { repositoryUrl } from './urls.ts';

/** Repositories on the wire (jfrog-compat.md §1.7). */
export const REPOSITORIES = '/artifactory/api/repositories';

export function repositoryPath(key: string): string {
  return `${REPOSITORIES}/${encodeURIComponent(key)}`;
}

/** The defaults of a local repository's configuration JSON ("Missing values are set to the default values"). */
export const LOCAL_REPOSITORY_DEFAULTS = {
  description: '',
  notes: '',
  includesPattern: '**/*',
  excludesPattern: '',
  repoLayoutRef: 'simple-default',
  checksumPolicyType: 'client-checksums',
  blackedOut: false,
  xrayIndex: false,
  propertySets: [] as string[],
  archiveBrowsingEnabled: false,
};

/**
 * The defaults of a virtual repository's configuration JSON (jfrog-compat.md §1.7, Repository
 * Configuration JSON, "Virtual Repository"). `defaultDeploymentRepo` has no default: absent
 * means a virtual refuses deploys.
 */
export const VIRTUAL_REPOSITORY_DEFAULTS = {
  description: '',
  notes: '',
  includesPattern: '**/*',
  excludesPattern: '',
  repoLayoutRef: 'simple-default',
  repositories: [] as string[],
  artifactoryRequestsCanRetrieveRemoteArtifacts: false,
};

/** What JFrog adds for the Maven family (maven, gradle, ivy, sbt) of virtual repositories. */
export const VIRTUAL_MAVEN_DEFAULTS = {
  keyPair: '',
  pomRepositoryReferencesCleanupPolicy: 'discard_active_reference',
  forceMavenAuthentication: false,
};

/**
 * The defaults of a remote repository's configuration JSON (jfrog-compat.md §1.7, §2) for the
 * fields a smart remote on an Edge honours or keeps; `url` has none and is required.
 */
export const REMOTE_REPOSITORY_DEFAULTS = {
  ...LOCAL_REPOSITORY_DEFAULTS,
  username: '',
  proxy: '',
  disableProxy: false,
  remoteRepoChecksumPolicyType: 'generate-if-absent',
  hardFail: false,
  offline: false,
  storeArtifactsLocally: true,
  socketTimeoutMillis: 15_000,
  localAddress: '',
  retrievalCachePeriodSecs: 7200,
  missedRetrievalCachePeriodSecs: 1800,
  assumedOfflinePeriodSecs: 300,
  metadataRetrievalTimeoutSecs: 60,
  unusedArtifactsCleanupPeriodHours: 0,
  shareConfiguration: false,
  synchronizeProperties: false,
  listRemoteFolderItems: true,
  blockMismatchingMimeTypes: true,
  bypassHeadRequests: false,
  allowAnyHostAuth: false,
  enableCookieManagement: false,
  enableTokenAuthentication: false,
  downloadRedirect: false,
  cdnRedirect: false,
  disableUrlNormalization: false,
  priorityResolution: false,
  contentSynchronisation: {
    enabled: true,
    statistics: { enabled: false },
    properties: { enabled: false },
    source: { originAbsenceDetection: false },
  },
};

export const RepositoryListEntry = z.looseObject({
  key: z.string(),
  type: z.string(),
  description: z.string(),
  url: z.string(),
  packageType: z.string(),
});
export type RepositoryListEntry = z.infer<typeof RepositoryListEntry>;

export const RepositoryConfig = z.looseObject({ key: z.string(), rclass: z.string(), packageType: z.string() });
export type RepositoryConfig = z.infer<typeof RepositoryConfig>;

export interface WireRepository {
  key: string;
  rclass: string;
  packageType: string;
  description: string;
}

/** `GET /api/repositories`: upper-case `type`, capitalised `packageType`. */
export function repositoryListEntry(base: string, repo: WireRepository): RepositoryListEntry {
  return {
    key: repo.key,
    type: repo.rclass.toUpperCase(),
    description: repo.description,
    url: repositoryUrl(base, repo.key),
    packageType: repo.packageType.charAt(0).toUpperCase() + repo.packageType.slice(1),
  };
}

/** `GET /api/repositories/{key}`: the configuration, with `rclass`. */
export function repositoryConfigJson(repo: Omit<WireRepository, 'description'>, config: Record<string, unknown>): RepositoryConfig {
  return { key: repo.key, rclass: repo.rclass, packageType: repo.packageType, ...config };
}
