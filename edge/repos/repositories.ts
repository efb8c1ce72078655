import { z } from 'zod';
import { EdgeError, REMOTE_NOT_SMART_MESSAGE } from '../../protocol/errors.ts';
import { validateRepoKey } from '../../protocol/paths.ts';
import { LOCAL_REPOSITORY_DEFAULTS, type WireRepository } from '../../protocol/wire/repositories.ts';
import type { ContentStore } from '../storage/content.ts';
import type { MetadataStore, RepoRecord } from '../storage/metadata.ts';

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
    const repo: RepoRecord = { key, rclass: 'local', packageType, config: { ...LOCAL_REPOSITORY_DEFAULTS, ...rest }, created: this.now() };
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
    const updated: RepoRecord = { ...existing, config: { ...existing.config, ...rest } };
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
  }
}

function parseBody(input: unknown, key: string): RepoBody {
  const parsed = repoBody.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EdgeError('INVALID_BODY', `Invalid repository configuration: '${issue?.path.join('.') ?? ''}' ${issue?.message ?? ''}`.trim());
  }
  if (parsed.data.key !== undefined && parsed.data.key !== key) {
    throw new EdgeError('INVALID_BODY', `The key in the body (${parsed.data.key}) differs from the key in the URL (${key}).`);
  }
  return parsed.data;
}

function checkEdgeRepoClass(rclass: NonNullable<RepoBody['rclass']>, body: RepoBody): void {
  if (rclass === 'local') return;
  // EDGE-RO-4: an Edge proxies only other Artifactory instances, through smart remotes.
  if (rclass === 'remote' && body.contentSynchronisation?.enabled !== true) {
    throw new EdgeError('REMOTE_NOT_SMART', REMOTE_NOT_SMART_MESSAGE);
  }
  if (rclass === 'remote' || rclass === 'virtual') {
    throw new EdgeError(
      'REPO_CLASS_UNSUPPORTED',
      `${rclass === 'remote' ? 'Smart remote' : 'Virtual'} repositories are not available in this edgeproof release yet; only local repositories can be created.`,
    );
  }
  throw new EdgeError('REPO_CLASS_UNSUPPORTED', `Repositories of class '${rclass}' are not supported on an Artifactory Edge.`);
}

/** A repository as the wire shapes (jfrog-compat.md §1.7) describe it. */
export function wireRepository(repo: RepoRecord): WireRepository {
  const description = typeof repo.config.description === 'string' ? repo.config.description : '';
  return { key: repo.key, rclass: repo.rclass, packageType: repo.packageType, description };
}
