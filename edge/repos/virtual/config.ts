import { z } from 'zod';
import { EdgeError } from '../../../protocol/errors.ts';
import { VIRTUAL_MAVEN_DEFAULTS, VIRTUAL_REPOSITORY_DEFAULTS } from '../../../protocol/wire/repositories.ts';
import type { RepoRecord } from '../../storage/metadata.ts';

/**
 * The fields of a virtual repository's configuration this Edge acts on (jfrog-compat.md §1.7,
 * "Virtual Repository"); anything else JFrog defines is kept as given and returned.
 */
export const virtualFields = z.looseObject({
  repositories: z.array(z.string().min(1)).max(256).optional(),
  defaultDeploymentRepo: z.string().nullable().optional(),
  artifactoryRequestsCanRetrieveRemoteArtifacts: z.boolean().optional(),
  keyPair: z.string().max(256).optional(),
  pomRepositoryReferencesCleanupPolicy: z.enum(['discard_active_reference', 'discard_any_reference', 'nothing']).optional(),
  forceMavenAuthentication: z.boolean().optional(),
  virtualRetrievalCachePeriodSecs: z.number().int().nonnegative().optional(),
});

const MAVEN_FAMILY = new Set(['maven', 'gradle', 'ivy', 'sbt']);

/** EDGE-VR-1: missing values take JFrog's virtual defaults. */
export function virtualDefaults(packageType: string): Record<string, unknown> {
  return { ...VIRTUAL_REPOSITORY_DEFAULTS, ...(MAVEN_FAMILY.has(packageType) ? VIRTUAL_MAVEN_DEFAULTS : {}) };
}

/** The ordered member keys of a stored virtual. */
export function membersOf(repo: RepoRecord): string[] {
  const members = repo.config.repositories;
  return Array.isArray(members) ? members.filter((m): m is string => typeof m === 'string') : [];
}

export function deploymentRepoOf(repo: RepoRecord): string | undefined {
  const target = repo.config.defaultDeploymentRepo;
  return typeof target === 'string' && target !== '' ? target : undefined;
}

function invalid(field: string, why: string): EdgeError {
  return new EdgeError('INVALID_BODY', `Invalid virtual repository configuration: '${field}' ${why}`);
}

/**
 * EDGE-VR-1, EDGE-VR-5: the members of `virtual` (its configuration as it would be stored)
 * exist, are of its package type (a generic virtual aggregates any type, as in JFrog), and never
 * lead back to it through nested virtuals; its `defaultDeploymentRepo` is the uploads repository
 * and one of its members. Throws INVALID_BODY naming the field; nothing is stored before this passes.
 */
export async function checkVirtual(virtual: RepoRecord, lookup: (key: string) => Promise<RepoRecord | undefined>, uploadsRepo: string): Promise<void> {
  const members = membersOf(virtual);
  const seen = new Set<string>();
  for (const key of members) {
    if (seen.has(key)) throw invalid('repositories', `names ${key} twice.`);
    seen.add(key);
    if (key === virtual.key) throw invalid('repositories', `names the virtual repository ${key} itself.`);
    const member = await lookup(key);
    if (!member) throw invalid('repositories', `names ${key}, which does not exist.`);
    if (virtual.packageType !== 'generic' && member.packageType !== virtual.packageType) {
      throw invalid(
        'repositories',
        `names ${key} of package type ${member.packageType}; a ${virtual.packageType} virtual holds only ${virtual.packageType} repositories.`,
      );
    }
  }
  const loop = await pathBack(virtual.key, members, lookup);
  if (loop) throw invalid('repositories', `makes a loop: ${[virtual.key, ...loop].join(' -> ')}.`);
  const target = deploymentRepoOf(virtual);
  if (target !== undefined && target !== uploadsRepo) {
    throw invalid('defaultDeploymentRepo', `may only be ${uploadsRepo} on an Artifactory Edge, not ${target}.`);
  }
  if (target !== undefined && !seen.has(target)) throw invalid('defaultDeploymentRepo', `${target} must also be one of the 'repositories'.`);
}

/** The chain of member keys from `members` back to `key` through nested virtuals, if there is one. */
async function pathBack(key: string, members: string[], lookup: (key: string) => Promise<RepoRecord | undefined>): Promise<string[] | undefined> {
  const visited = new Set<string>();
  const walk = async (keys: string[], chain: string[]): Promise<string[] | undefined> => {
    for (const member of keys) {
      if (member === key) return [...chain, member];
      if (visited.has(member)) continue;
      visited.add(member);
      const repo = await lookup(member);
      if (repo?.rclass !== 'virtual') continue;
      const found = await walk(membersOf(repo), [...chain, member]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(members, []);
}
