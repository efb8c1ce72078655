import { ApiError } from '../../protocol/clients/index.ts';
import type { ScenarioContext } from './context.ts';

/** The one repository of an Edge that takes uploads (EDGE-RO-3), and scratch room in it. */

export const UPLOADS = 'artifactory-edge-uploads';

/**
 * A folder of the uploads repository that no other run uses, removed when the scenario ends:
 * scenarios that deploy keep to it, so a shared Edge (and the Edge's own uploads) stay as found.
 */
export function scratch(t: ScenarioContext, base: string): string {
  const folder = t.name(base);
  t.defer(() => deleteIfPresent(t, `${UPLOADS}/${folder}`));
  return folder;
}

/** Deletes `repoPath` as the admin; already gone is fine (a scenario may have removed it itself). */
export async function deleteIfPresent(t: ScenarioContext, repoPath: string): Promise<void> {
  try {
    await t.clients().artifactory.delete(repoPath);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
}

/** The URL path of `path` in the uploads repository, for raw requests. */
export const inUploads = (path: string): string => `/artifactory/${UPLOADS}/${path}`;

/** The storage API's URL path of `path` in the uploads repository. */
export const uploadsStorage = (path: string): string => `/artifactory/api/storage/${UPLOADS}/${path}`;
