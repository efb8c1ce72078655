import { ArtifactoryClient } from '../protocol/clients/index.ts';
import { prepareManyFiles } from './many-files-bundle.ts';
import { payload } from './payload.ts';

/** What every Edge `npm run bench` measures holds: its admin, a plain reader, and the files read. */
export const PASSWORD = 'bench-admin-password';
export const ADMIN = { user: 'admin', password: PASSWORD };
export const USER = { user: 'bench', password: 'bench-user-password' };
export const REPO = 'artifactory-edge-uploads';
/** The repository EDP bundles go to. */
export const BUNDLE_REPO = 'bench-bundles';
export const SMALL_BYTES = 4096;
export const SMALL_PATH = `${REPO}/bench/small.bin`;

export const basic = (c: { user: string; password: string }) => `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;

/**
 * A plain user with read on the repository (the permission check is part of what is measured),
 * the 4 KiB file, and the fixture bundle key trusted with the bundle repository: the same on
 * every Edge, whatever its stores.
 */
export async function prepareBenchEdge(url: string): Promise<void> {
  const admin = new ArtifactoryClient({ url, credentials: ADMIN });
  await admin.putUser(USER.user, { password: USER.password, email: 'bench@example.com' });
  await admin.putPermission('bench-read', { repo: { repositories: [REPO], actions: { users: { [USER.user]: ['read'] } } } });
  await admin.deploy(SMALL_PATH, payload(SMALL_BYTES, 8), { size: SMALL_BYTES });
  await prepareManyFiles(url, ADMIN, BUNDLE_REPO);
}
