import { accessScenarios } from './access.ts';
import { bundleReadScenarios } from './bundle-reads.ts';
import { checksumScenarios } from './checksums.ts';
import { deletionScenarios } from './deletion.ts';
import { fileScenarios } from './files.ts';
import { jwsFormScenarios } from './jws-form.ts';
import { jwsHeaderScenarios } from './jws-header.ts';
import { lifecycleScenarios } from './lifecycle.ts';
import { pathConflictScenarios } from './path-conflicts.ts';
import { payloadScenarios } from './payload.ts';
import { publicationScenarios } from './publication.ts';
import { refusalDetailScenarios } from './refusal-details.ts';
import { signatureScenarios } from './signature.ts';
import { signingKeyScenarios } from './signing-keys.ts';
import { sizeLimitScenarios } from './size-limit.ts';
import { transactionScenarios } from './transactions.ts';

/**
 * The Edge Distribution Protocol driven directly (docs/protocol.md), the harness playing
 * Distribution and the source: the signed bundle, transactions, files, publication and reads,
 * deletion and path conflicts, in the order a reader of the protocol meets them.
 */
export const edpScenarios = [
  ...jwsFormScenarios,
  ...jwsHeaderScenarios,
  ...signatureScenarios,
  ...signingKeyScenarios,
  ...payloadScenarios,
  ...sizeLimitScenarios,
  ...refusalDetailScenarios,
  ...accessScenarios,
  ...transactionScenarios,
  ...lifecycleScenarios,
  ...fileScenarios,
  ...checksumScenarios,
  ...publicationScenarios,
  ...bundleReadScenarios,
  ...deletionScenarios,
  ...pathConflictScenarios,
];
