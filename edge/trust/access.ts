import { EdgeError } from '../../protocol/errors.ts';
import type { PermissionTarget, RepoRecord, UserStore } from '../storage/metadata.ts';
import { isAdmin, type Principal } from './principal.ts';

/** JFrog permission-target v2 actions. `write` is what Artifactory calls deploy. */
export const ACTIONS = ['read', 'write', 'annotate', 'delete', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

export interface AccessOptions {
  anonymousRead: boolean;
}

/**
 * Decides what a principal may do on a repository path (EDGE-AUTH family). Admins may do
 * everything; anonymous callers may read when anonymous access is on; users get what the
 * permission targets naming them or their groups grant.
 */
export class AccessControl {
  #targets: PermissionTarget[] | undefined;

  constructor(
    private readonly users: UserStore,
    private readonly options: AccessOptions,
  ) {}

  /** Permission targets change rarely and are read on every request. */
  invalidate(): void {
    this.#targets = undefined;
  }

  async can(principal: Principal, action: Action, repo: RepoRecord, path: string): Promise<boolean> {
    if (isAdmin(principal)) return true;
    if (principal.kind === 'anonymous') return action === 'read' && this.options.anonymousRead;
    this.#targets ??= await this.users.permissions();
    return this.#targets.some(
      (target) =>
        coversRepo(target, repo) &&
        coversPath(target, path) &&
        (hasAction(target.users[principal.name], action) ||
          principal.groups.some((group) => hasAction(target.groups[group], action))),
    );
  }

  /** EDGE-AUTH-3: a user without read rights is told nothing exists: the same 404 as for absent items. */
  async requireRead(principal: Principal, repo: RepoRecord, path: string, notFound: () => EdgeError): Promise<void> {
    if (principal.kind === 'anonymous' && !this.options.anonymousRead) throw unauthenticated();
    if (!(await this.can(principal, 'read', repo, path))) throw notFound();
  }

  async require(principal: Principal, action: Action, repo: RepoRecord, path: string): Promise<void> {
    // EDGE-AUTH-2: without anonymous access, no credentials means 401 before any other answer.
    if (principal.kind === 'anonymous' && !(action === 'read' && this.options.anonymousRead)) throw unauthenticated();
    if (!(await this.can(principal, action, repo, path))) {
      throw new EdgeError('FORBIDDEN', `User ${principal.kind === 'user' ? principal.name : 'anonymous'} is not permitted to ${action} '${repo.key}/${path}'.`);
    }
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

export function unauthenticated(): EdgeError {
  return new EdgeError('UNAUTHENTICATED', 'Authentication is required');
}

function hasAction(actions: string[] | undefined, action: Action): boolean {
  return actions !== undefined && (actions.includes(action) || actions.includes('manage'));
}

function coversRepo(target: PermissionTarget, repo: RepoRecord): boolean {
  return target.repositories.some(
    (name) =>
      name === repo.key ||
      name === 'ANY' ||
      (name === 'ANY LOCAL' && repo.rclass === 'local') ||
      (name === 'ANY REMOTE' && repo.rclass === 'remote'),
  );
}

function coversPath(target: PermissionTarget, path: string): boolean {
  const include = target.includePatterns.length > 0 ? target.includePatterns : ['**'];
  return include.some((p) => antMatch(p, path)) && !target.excludePatterns.some((p) => antMatch(p, path));
}

/** Ant-style patterns as Artifactory uses them: `**` any folders, `*` within a name, `?` one character. */
export function antMatch(pattern: string, path: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      regex += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') regex += '[^/]*';
    else if (c === '?') regex += '[^/]';
    else regex += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`).test(path);
}
