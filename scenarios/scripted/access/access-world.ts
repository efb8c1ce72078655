import { createHash } from 'node:crypto';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { localRepo, permission, permissionTarget, UPLOADS_REPO, uploadsFolder, user, type Grant, type TestUser } from '../../kit/world.ts';

/**
 * What the users-and-access scenarios act on: a file an admin deployed in the uploads
 * repository, with a property, and a local repository besides (read-only on an Edge).
 */

export const SECRET = 'secret content of an existing file\n';
export const SECRET_SHA256 = createHash('sha256').update(SECRET).digest('hex');

export interface AccessWorld {
  /** The scenario's folder in the uploads repository (no repository key). */
  folder: string;
  /** `<folder>/dir/a.txt`, holding SECRET, with the property owner=admin. */
  file: string;
  /** A local repository other than uploads. */
  local: string;
}

export async function accessWorld(t: ScenarioContext): Promise<AccessWorld> {
  const folder = uploadsFolder(t, 'access');
  const file = `${folder}/dir/a.txt`;
  const { artifactory } = t.clients();
  await artifactory.deploy(`${UPLOADS_REPO}/${file}`, SECRET);
  await artifactory.setProperties(`${UPLOADS_REPO}/${file}`, { owner: ['admin'] });
  return { folder, file, local: await localRepo(t, 'access-local') };
}

/** Replaces the permission target `name` (which must exist) by `grant`. */
export async function regrant(t: ScenarioContext, name: string, grant: Grant): Promise<void> {
  expect(await t.clients().artifactory.putPermission(name, permissionTarget(grant)), `permission target ${name} replaced, not created`).toBe(false);
}

/** A new user granted `actions` on the uploads repository (within `include` when given); the grant's name comes with it. */
export async function grantedUser(t: ScenarioContext, base: string, actions: string[], include?: string[]): Promise<TestUser & { grant: string }> {
  const who = await user(t, base);
  const grant = await permission(t, `${base}-grant`, { repositories: [UPLOADS_REPO], users: { [who.name]: actions }, ...(include ? { include } : {}) });
  return { ...who, grant };
}
