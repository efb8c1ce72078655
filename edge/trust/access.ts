import { EdgeError } from '../../protocol/errors.ts';
import type { PermissionTarget, RepoRecord, UserStore } from '../storage/metadata.ts';
import { antMatch, antMatchStart } from './path-patterns.ts';
import { isAdmin, type Principal } from './principal.ts';

/** JFrog permission-target v2 actions. `write` is what Artifactory calls deploy. */
export const ACTIONS = ['read', 'write', 'annotate', 'delete', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

export interface AccessOptions {
  anonymousRead: boolean;
}

/** What a permission is asked for: a path, and whether a folder is there (a repository root is one). */
export interface PathItem {
  path: string;
  folder: boolean;
}

/**
 * Decides what a principal may do on a repository path (EDGE-AUTH family). Admins may do
 * everything; anonymous callers may read when anonymous access is on; users get what the
 * permission targets naming them or their groups grant.
 */
export class AccessControl {
  /** Permission targets change rarely and are read on every request: kept while the store's version holds (EDGE-AUTH-10). */
  #targets: { version: number; targets: PermissionTarget[] } | undefined;

  constructor(
    private readonly users: UserStore,
    private readonly options: AccessOptions,
  ) {}

  /**
   * EDGE-AUTH-8: a file is covered by a target whose patterns match its path; a folder also
   * when an include pattern could match something below it, so the way to a readable file is
   * visible. Exclude patterns always match the path itself (`secret/**` hides `secret`).
   */
  async can(principal: Principal, action: Action, repo: RepoRecord, item: PathItem | string): Promise<boolean> {
    if (isAdmin(principal)) return true;
    if (principal.kind === 'anonymous') return action === 'read' && this.options.anonymousRead;
    const { path, folder } = typeof item === 'string' ? { path: item, folder: item === '' } : item;
    return (await this.#currentTargets()).some(
      (target) =>
        coversRepo(target, repo) &&
        coversPath(target, path, folder) &&
        (hasAction(target.users[principal.name], action) || principal.groups.some((group) => hasAction(target.groups[group], action))),
    );
  }

  async #currentTargets(): Promise<PermissionTarget[]> {
    const version = this.users.version();
    if (this.#targets?.version === version) return this.#targets.targets;
    // The version is taken before the read: a change meanwhile leaves an entry already stale.
    const targets = await this.users.permissions();
    this.#targets = { version, targets };
    return targets;
  }

  /** EDGE-AUTH-5: the items the caller may read, in their order; nothing else is shown or counted. */
  async readable<T extends PathItem>(principal: Principal, repo: RepoRecord, items: readonly T[]): Promise<T[]> {
    const kept: T[] = [];
    for (const item of items) if (await this.can(principal, 'read', repo, item)) kept.push(item);
    return kept;
  }

  /** EDGE-AUTH-3: a user without read rights is told nothing exists: the same 404 as for absent items. */
  async requireRead(principal: Principal, repo: RepoRecord, item: PathItem, notFound: () => EdgeError): Promise<void> {
    this.requireUser(principal);
    if (!(await this.can(principal, 'read', repo, item))) throw notFound();
  }

  async require(principal: Principal, action: Action, repo: RepoRecord, item: PathItem | string): Promise<void> {
    // EDGE-AUTH-2: without anonymous access, no credentials means 401 before any other answer.
    if (principal.kind === 'anonymous' && !(action === 'read' && this.options.anonymousRead)) throw unauthenticated();
    if (!(await this.can(principal, action, repo, item))) throw forbidden(principal, action, repo, typeof item === 'string' ? item : item.path);
  }

  /** EDGE-AUTH-4: configuration is for admins. */
  requireAdmin(principal: Principal): void {
    if (principal.kind === 'anonymous') throw unauthenticated();
    if (!isAdmin(principal)) throw new EdgeError('FORBIDDEN', 'This operation requires an admin user.');
  }

  requireUser(principal: Principal): void {
    if (principal.kind === 'anonymous' && !this.options.anonymousRead) throw unauthenticated();
  }
}

function forbidden(principal: Principal, action: Action, repo: RepoRecord, path: string): EdgeError {
  return new EdgeError('FORBIDDEN', `User ${principal.kind === 'user' ? principal.name : 'anonymous'} is not permitted to ${action} '${repo.key}/${path}'.`);
}

export function unauthenticated(): EdgeError {
  return new EdgeError('UNAUTHENTICATED', 'Authentication is required');
}

function hasAction(actions: string[] | undefined, action: Action): boolean {
  return actions !== undefined && (actions.includes(action) || actions.includes('manage'));
}

function coversRepo(target: PermissionTarget, repo: RepoRecord): boolean {
  return target.repositories.some(
    (name) => name === repo.key || name === 'ANY' || (name === 'ANY LOCAL' && repo.rclass === 'local') || (name === 'ANY REMOTE' && repo.rclass === 'remote'),
  );
}

function coversPath(target: PermissionTarget, path: string, folder: boolean): boolean {
  const include = target.includePatterns.length > 0 ? target.includePatterns : ['**'];
  const included = include.some((p) => (folder ? antMatchStart(p, path) : antMatch(p, path)));
  return included && !target.excludePatterns.some((p) => antMatch(p, path));
}
