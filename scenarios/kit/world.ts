import { ApiError } from '../../protocol/clients/index.ts';
import type { PermissionTargetRequest } from '../../protocol/wire/security.ts';
import type { ScenarioContext } from './context.ts';

/**
 * What scenarios set up on a shared Edge: repositories, users and permission targets with
 * names unique to the run, removed again when the scenario ends (a leftover is reported as a
 * cleanup problem, not hidden).
 */

/** The repository every Edge has for its own uploads (jfrog-compat.md), the only one it lets anyone write to. */
export const UPLOADS_REPO = 'artifactory-edge-uploads';

/**
 * Removes what a scenario made, unless the scenario already removed it itself (the one 404
 * that is no leftover); any other refusal is still reported as a cleanup problem.
 */
export async function unlessGone(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
}

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
  t.defer(() => unlessGone(() => artifactory.deleteRepository(key)));
  return key;
}

/** A repository of any class (`remote` must be smart on an Edge, `virtual` lists its members). */
export async function repo(t: ScenarioContext, base: string, config: Record<string, unknown>): Promise<string> {
  const key = t.name(base);
  const { artifactory } = t.clients();
  await artifactory.createRepository(key, config);
  t.defer(() => unlessGone(() => artifactory.deleteRepository(key)));
  return key;
}

export async function user(t: ScenarioContext, base: string, options: { admin?: boolean; groups?: string[] } = {}): Promise<TestUser> {
  const name = t.name(base);
  const password = `${name}-Password-1`;
  const { artifactory } = t.clients();
  await artifactory.putUser(name, { email: `${name}@edgeproof.test`, password, ...options });
  t.defer(() => unlessGone(() => artifactory.deleteUser(name)));
  return { name, password, auth: basic(name, password) };
}

export interface Grant {
  repositories: string[];
  users?: Record<string, string[]>;
  groups?: Record<string, string[]>;
  include?: string[];
  exclude?: string[];
}

/** The permission target `grant` describes, as the security API takes it. */
export function permissionTarget(grant: Grant): PermissionTargetRequest {
  return {
    repo: {
      repositories: grant.repositories,
      ...(grant.include ? { 'include-patterns': grant.include } : {}),
      ...(grant.exclude ? { 'exclude-patterns': grant.exclude } : {}),
      actions: { ...(grant.users ? { users: grant.users } : {}), ...(grant.groups ? { groups: grant.groups } : {}) },
    },
  };
}

/** A permission target granting actions on `repositories` to users and groups; returns its name. */
export async function permission(t: ScenarioContext, base: string, grant: Grant): Promise<string> {
  const name = t.name(base);
  const { artifactory } = t.clients();
  await artifactory.putPermission(name, permissionTarget(grant));
  t.defer(() => unlessGone(() => artifactory.deletePermission(name)));
  return name;
}

/**
 * A folder of the uploads repository for this scenario alone (the repository itself is shared
 * by every scenario and run), removed with everything under it when the scenario ends.
 * Returns its path, `<name>` (no repository key).
 */
export function uploadsFolder(t: ScenarioContext, base: string): string {
  const folder = t.name(base);
  const { artifactory } = t.clients();
  t.defer(() => unlessGone(() => artifactory.delete(`${UPLOADS_REPO}/${folder}`)));
  return folder;
}
