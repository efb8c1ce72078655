import type { ItemAddress } from '../../../protocol/paths.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import type { RepoStore } from '../../storage/metadata.ts';
import { deploymentRepoOf } from './config.ts';
import { shows } from './patterns.ts';

/**
 * EDGE-VR-5: a deploy (file, checksum deploy or folder) addressed to a virtual becomes one
 * addressed to its `defaultDeploymentRepo` (only ever the uploads repository), which then
 * applies its own rules and permissions. A virtual without one keeps the address, so
 * `ArtifactService.assertWritable` refuses it as every other non-uploads repository (EDGE-RO-1).
 */
export async function deploymentAddress(repos: RepoStore, address: ItemAddress): Promise<ItemAddress> {
  const repo = await repos.get(address.repo);
  const target = repo?.rclass === 'virtual' ? deploymentRepoOf(repo) : undefined;
  if (!repo || target === undefined) return address;
  // EDGE-VR-3: a path the virtual hides cannot be deployed through it either.
  if (address.path !== '' && !shows([repo], { path: address.path, folder: address.folder })) {
    throw new EdgeError('FORBIDDEN', `The include/exclude patterns of virtual repository ${repo.key} reject '${address.path}'.`);
  }
  return { ...address, repo: target };
}
