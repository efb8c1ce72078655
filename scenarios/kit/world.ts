import type { PermissionTargetRequest } from '../../protocol/wire/security.ts';
import type { ScenarioContext } from './context.ts';

/**
 * What scenarios set up on a shared Edge: repositories, users and permission targets with
 * names unique to the run, removed again when the scenario ends (a leftover is reported as a
 * cleanup problem, not hidden).
 */

/** The one repository of an Edge where users deploy (the Edge licence's uploads repository). */
export const UPLOADS_REPO = 'artifactory-edge-uploads';

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface TestUser {
  name: string;
  password: string;
  /** The Authorization header that logs in as this user. */
  auth: string;
}

/** A local repository (generic unless `config` says otherwise); returns its key. */
export async function localRepo(t: ScenarioContext, base: string, config: Record<string, unknown> = {}): Promise<string> {
  const key = t.name(base);
  const { artifactory } = t.clients();
  await artifactory.createRepository(key, { rclass: 'local', ...config });
  t.defer(() => artifactory.deleteRepository(key));
  return key;
}

/** A repository of any class (`remote` must be smart on an Edge, `virtual` lists its members). */
export async function repo(t: ScenarioContext, base: string, config: Record<string, unknown>): Promise<string> {
  const key = t.name(base);
  const { artifactory } = t.clients();
  await artifactory.createRepository(key, config);
  t.defer(() => artifactory.deleteRepository(key));
  return key;
}

export async function user(t: ScenarioContext, base: string, options: { admin?: boolean; groups?: string[] } = {}): Promise<TestUser> {
  const name = t.name(base);
  const password = `${name}-Password-1`;
  const { artifactory } = t.clients();
  await artifactory.putUser(name, { email: `${name}@edgeproof.test`, password, ...options });
  t.defer(() => artifactory.deleteUser(name));
  return { name, password, auth: basic(name, password) };
}

/** A permission target granting actions on `repositories` to `users` and `groups`; returns its name. */
export async function permission(
  t: ScenarioContext,
  base: string,
  grant: { repositories: string[]; users?: Record<string, string[]>; groups?: Record<string, string[]>; include?: string[]; exclude?: string[] },
): Promise<string> {
  const name = t.name(base);
  const target: PermissionTargetRequest = {
    repo: {
      repositories: grant.repositories,
      ...(grant.include ? { 'include-patterns': grant.include } : {}),
      ...(grant.exclude ? { 'exclude-patterns': grant.exclude } : {}),
      actions: { ...(grant.users ? { users: grant.users } : {}), ...(grant.groups ? { groups: grant.groups } : {}) },
    },
  };
  const { artifactory } = t.clients();
  await artifactory.putPermission(name, target);
  t.defer(() => artifactory.deletePermission(name));
  return name;
}
