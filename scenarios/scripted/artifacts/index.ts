import type { Scenario } from '../../kit/scenario.ts';
import { checksumDeployScenarios } from './checksum-deploy.ts';
import { checksumScenarios } from './checksums.ts';
import { contentStoreScenarios } from './content-store.ts';
import { copyMoveScenarios } from './copy-move.ts';
import { deleteScenarios } from './delete.ts';
import { deployScenarios } from './deploy.ts';
import { downloadScenarios } from './downloads.ts';
import { propertyScenarios } from './properties.ts';
import { storageApiScenarios } from './storage-api.ts';

/** Artifacts in the uploads repository: deploy, checksums, content, downloads, storage API, properties, delete, copy and move (EDGE-ART-*). */
export const artifactScenarios: Scenario[] = [
  ...deployScenarios,
  ...checksumScenarios,
  ...checksumDeployScenarios,
  ...contentStoreScenarios,
  ...downloadScenarios,
  ...storageApiScenarios,
  ...propertyScenarios,
  ...deleteScenarios,
  ...copyMoveScenarios,
];
