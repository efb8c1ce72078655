import type { Scenario } from '../../kit/scenario.ts';
import { corruptionScenarios } from './corruption.ts';
import { dedupScenarios } from './dedup.ts';
import { happyPathScenarios } from './happy-path.ts';
import { keyPropagationScenarios } from './key-propagation.ts';
import { networkFaultScenarios } from './network-faults.ts';
import { redeliveryScenarios } from './redelivery.ts';
import { resumeScenarios } from './resume.ts';
import { sourcePushScenarios } from './source-push.ts';
import { twoEdgeScenarios } from './two-edges.ts';
import { untrustedSignerScenarios } from './untrusted-signer.ts';

/** Signed bundles transferred through the simulated platform, with and without seeded faults. */
export const transferScenarios: readonly Scenario[] = [
  ...happyPathScenarios,
  ...dedupScenarios,
  ...redeliveryScenarios,
  ...resumeScenarios,
  ...twoEdgeScenarios,
  ...corruptionScenarios,
  ...networkFaultScenarios,
  ...untrustedSignerScenarios,
  ...keyPropagationScenarios,
  ...sourcePushScenarios,
];
