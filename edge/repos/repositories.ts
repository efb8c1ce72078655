import { z } from 'zod';
import { EdgeError, REMOTE_NOT_SMART_MESSAGE } from '../../protocol/errors.ts';
import { validateRepoKey } from '../../protocol/paths.ts';
import { LOCAL_REPOSITORY_DEFAULTS, type WireRepository } from '../../protocol/wire/repositories.ts';
import type { ContentStore } from '../storage/content.ts';
import type { MetadataStore, RepoRecord } from '../storage/metadata.ts';
import { mergeRemoteConfig, notSmart, parseUpstreamUrl, publicRemoteConfig, remoteConfigOf, remoteFields } from './remote/config.ts';
import { checkUpstream } from './remote/upstream-check.ts';
import { checkVirtual, membersOf, virtualDefaults, virtualFields } from './virtual/config.ts';

/** jfrog-compat.md §6: created automatically, the only repository that accepts uploads. */
export const UPLOADS_REPO = 'artifactory-edge-uploads';

export const PACKAGE_TYPES = [
  'generic',
  'maven',
  'gradle',
  'ivy',
  'sbt',
  'helm',
  'helmoci',
  'cocoapods',
  'opkg',
  'rpm',
  'nuget',
  'cran',
  'gems',
  'npm',
  'bower',
  'debian',
  'composer',
  'pypi',
  'docker',
  'oci',
  'vagrant',
  'gitlfs',
  'go',
  'yum',
  'conan',
  'chef',
  'puppet',
  'conda',
  'cargo',
  'terraform',
  'alpine',
  'swift',
  'pub',
  'huggingfaceml',
  'ansible',
] as const;

/** The fields of a repository configuration this Edge knows; others are kept as given. */
const repoBody = z.looseObject({
  key: z.string().optional(),
  rclass: z.enum(['local', 'remote', 'virtual', 'federated', 'distribution']).optional(),
  packageType: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(PACKAGE_TYPES))
    .optional(),
  description: z.string().max(1024).optional(),
  notes: z.string().max(4096).optional(),
  includesPattern: z.string().max(1024).optional(),
  excludesPattern: z.string().max(1024).optional(),
  contentSynchronisation: z.looseObject({ enabled: z.boolean().optional() }).optional(),
});
type RepoBody = z.infer<typeof repoBody>;

export class RepositoryService {
  constructor(
    private readonly metadata: MetadataStore,
    private readonly content: ContentStore,
    private readonly now: () => number,
  ) {}

  async ensureUploadsRepo(): Promise<void> {
    if (await this.metadata.repos.get(UPLOADS_REPO)) return;
    await this.metadata.repos.create({
      key: UPLOADS_REPO,
      rclass: 'local',
      packageType: 'generic',
      config: { ...LOCAL_REPOSITORY_DEFAULTS, description: 'Uploads to this Edge node' },
      created: this.now(),
    });
  }

  list(): Promise<RepoRecord[]> {
    return this.metadata.repos.list();
  }

  async get(key: string): Promise<RepoRecord> {
    const repo = await this.metadata.repos.get(key);
    if (!repo) throw new EdgeError('NOT_FOUND', `Repository ${key} does not exist`);
    return repo;
  }

  /** EDGE-REPO-2: missing values take the defaults; an existing key is REPO_EXISTS (the store's). */
  async create(key: string, input: unknown): Promise<RepoRecord> {
    validateRepoKey(key);
    const body = parseBody(input, key);
    const rclass = body.rclass;
    if (!rclass) throw new EdgeError('INVALID_BODY', "Missing 'rclass': one of local, remote, virtual.");
    checkEdgeRepoClass(rclass, body);
    const { key: _key, rclass: _rclass, packageType = 'generic', ...rest } = body;
    if (rclass === 'virtual') {
      const fields = parseWith(virtualFields, rest);
      const repo: RepoRecord = { key, rclass, packageType, config: { ...virtualDefaults(packageType), ...fields }, created: this.now() };
      await this.#checkVirtual(repo);
      await this.metadata.repos.create(repo);
      return repo;
    }
    if (rclass === 'remote') return this.#createRemote(key, packageType, rest);
    const repo: RepoRecord = { key, rclass: 'local', packageType, config: { ...LOCAL_REPOSITORY_DEFAULTS, ...rest }, created: this.now() };
    await this.metadata.repos.create(repo);
    return repo;
  }

  /** EDGE-SR-1, EDGE-SR-2: typed fields with JFrog's defaults, a URL that answers as an Artifactory, then the record. */
  async #createRemote(key: string, packageType: string, rest: Record<string, unknown>): Promise<RepoRecord> {
    const config = mergeRemoteConfig(parseWith(remoteFields, rest));
    const repo: RepoRecord = { key, rclass: 'remote', packageType, config, created: this.now() };
    const upstream = remoteConfigOf(repo);
    // The upstream is asked only for a key that is free: an existing one is REPO_EXISTS, whatever the URL.
    if (await this.metadata.repos.get(key)) throw new EdgeError('REPO_EXISTS', `Repository ${key} already exists`);
    await checkUpstream(upstream);
    await this.metadata.repos.create(repo);
    return repo;
  }

  /** EDGE-REPO-3, EDGE-RO-3: configuration may change, class and package type never. */
  async update(key: string, input: unknown): Promise<RepoRecord> {
    const existing = await this.get(key);
    const body = parseBody(input, key);
    if (body.rclass && body.rclass !== existing.rclass) {
      throw new EdgeError('INVALID_BODY', `Repository ${key} is ${existing.rclass}; its rclass cannot be changed.`);
    }
    if (body.packageType && body.packageType !== existing.packageType) {
      throw new EdgeError('INVALID_BODY', `Repository ${key} is ${existing.packageType}; its packageType cannot be changed.`);
    }
    const { key: _key, rclass: _rclass, packageType: _packageType, ...rest } = body;
    if (existing.rclass === 'remote') {
      const updated = await remoteUpdate(existing, parseWith(remoteFields, rest));
      await this.metadata.repos.update(updated);
      return updated;
    }
    const changes = existing.rclass === 'virtual' ? parseWith(virtualFields, rest) : rest;
    const updated: RepoRecord = { ...existing, config: { ...existing.config, ...changes } };
    if (updated.rclass === 'virtual') await this.#checkVirtual(updated);
    await this.metadata.repos.update(updated);
    return updated;
  }

  /** EDGE-REPO-4 */
  async delete(key: string): Promise<void> {
    await this.get(key);
    // EDGE-RO-3: the uploads repository is part of what makes this an Edge.
    if (key === UPLOADS_REPO) {
      throw new EdgeError('UPLOADS_REPO_PROTECTED', `The ${UPLOADS_REPO} repository is created automatically and cannot be removed.`);
    }
    // EDP-PUB-3: a published bundle never loses files behind its back.
    const holders = await this.metadata.bundles.bundlesInRepo(key);
    if (holders.length > 0) {
      const names = holders.map((b) => `${b.name}/${b.version}`).join(', ');
      throw new EdgeError('CONFLICT', `Repository ${key} holds files of release bundle(s) ${names}; delete those bundles first.`);
    }
    const released = await this.metadata.repos.delete(key);
    await this.content.release(released);
    await this.#leaveVirtuals(key);
  }

  /** EDGE-VR-1: members exist, match the package type and make no loop (jfrog-compat.md §1.7). */
  #checkVirtual(repo: RepoRecord): Promise<void> {
    return checkVirtual(repo, (key) => this.metadata.repos.get(key), UPLOADS_REPO);
  }

  /**
   * EDGE-VR-1: as in JFrog, a deleted repository leaves the virtuals that named it. Done after
   * the delete, so a refused delete changes no virtual; a crash in between leaves a member that
   * does not exist, which reads skip.
   */
  async #leaveVirtuals(key: string): Promise<void> {
    for (const repo of await this.metadata.repos.list()) {
      const members = membersOf(repo);
      if (repo.rclass !== 'virtual' || !members.includes(key)) continue;
      await this.metadata.repos.update({ ...repo, config: { ...repo.config, repositories: members.filter((m) => m !== key) } });
    }
  }
}

/** A 400 INVALID_BODY naming the first field the schema refuses. */
function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EdgeError('INVALID_BODY', `Invalid repository configuration: '${issue?.path.join('.') ?? ''}' ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

function parseBody(input: unknown, key: string): RepoBody {
  const body = parseWith(repoBody, input);
  if (body.key !== undefined && body.key !== key) {
    throw new EdgeError('INVALID_BODY', `The key in the body (${body.key}) differs from the key in the URL (${key}).`);
  }
  return body;
}

function checkEdgeRepoClass(rclass: NonNullable<RepoBody['rclass']>, body: RepoBody): void {
  if (rclass === 'local') return;
  // EDGE-RO-4: an Edge proxies only other Artifactory instances, through smart remotes.
  if (rclass === 'remote' && body.contentSynchronisation?.enabled !== true) {
    throw new EdgeError('REMOTE_NOT_SMART', REMOTE_NOT_SMART_MESSAGE);
  }
  // EDGE-VR-1: virtual repositories are created (decision 0018); EDGE-SR-1: smart remotes too.
  if (rclass === 'virtual' || rclass === 'remote') return;
  throw new EdgeError('REPO_CLASS_UNSUPPORTED', `Repositories of class '${rclass}' are not supported on an Artifactory Edge.`);
}

/**
 * EDGE-SR-2: an update keeps the creation's rules: typed fields, a smart remote stays smart, and
 * a changed URL or credentials must answer as an Artifactory before they are stored.
 */
async function remoteUpdate(existing: RepoRecord, changes: z.infer<typeof remoteFields>): Promise<RepoRecord> {
  const config = mergeRemoteConfig(changes, existing.config);
  if ((config.contentSynchronisation as { enabled?: unknown }).enabled !== true) throw notSmart("'contentSynchronisation.enabled' must stay true");
  parseUpstreamUrl(config.url);
  const updated: RepoRecord = { ...existing, config };
  const before = remoteConfigOf(existing);
  const after = remoteConfigOf(updated);
  if (before.url !== after.url || before.username !== after.username || before.password !== after.password) await checkUpstream(after);
  return updated;
}

/** EDGE-SR-2: a repository's configuration as `GET /api/repositories/{key}` shows it; secrets masked. */
export function publicConfig(repo: RepoRecord): Record<string, unknown> {
  return repo.rclass === 'remote' ? publicRemoteConfig(repo.config) : repo.config;
}

/** A repository as the wire shapes (jfrog-compat.md §1.7) describe it. */
export function wireRepository(repo: RepoRecord): WireRepository {
  const description = typeof repo.config.description === 'string' ? repo.config.description : '';
  return { key: repo.key, rclass: repo.rclass, packageType: repo.packageType, description };
}
