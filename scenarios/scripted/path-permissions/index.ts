import { antPatternScenarios } from './ant-patterns.ts';
import { bundleVisibilityScenarios } from './bundles.ts';
import { checksumDeployScenarios } from './checksum-deploy.ts';
import { copyMoveScenarios } from './copy-move.ts';
import { deleteAndPropertyScenarios } from './delete-and-properties.ts';
import { listingScenarios } from './listings.ts';
import { searchScenarios } from './search.ts';

/** Path-level permissions (EDGE-AUTH-5, 6, 8, EDGE-ART-4): what include and exclude patterns hide, and what they keep from changing. */
export const pathPermissionScenarios = [
  ...listingScenarios,
  ...searchScenarios,
  ...checksumDeployScenarios,
  ...copyMoveScenarios,
  ...deleteAndPropertyScenarios,
  ...antPatternScenarios,
  ...bundleVisibilityScenarios,
];
