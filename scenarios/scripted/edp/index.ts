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
import { signingKeyCheckScenarios } from './signing-key-checks.ts';
import { sizeLimitScenarios } from './size-limit.ts';
import { transactionScenarios } from './transactions.ts';

/** The signed bundle: JWS form and header, signature and keys, payload rules and limits (§2). */
export const edpBundleScenarios = [
  ...jwsFormScenarios,
  ...jwsHeaderScenarios,
  ...signatureScenarios,
  ...signingKeyCheckScenarios,
  ...payloadScenarios,
  ...sizeLimitScenarios,
  ...refusalDetailScenarios,
];

/** Who drives transactions, their life, and the files sent in them (§1, §3). */
export const edpTransactionScenarios = [...accessScenarios, ...transactionScenarios, ...lifecycleScenarios, ...fileScenarios, ...checksumScenarios];

/** What publishing guarantees, the release bundle reads, deletion and path conflicts (§4). */
export const edpPublicationScenarios = [...publicationScenarios, ...bundleReadScenarios, ...deletionScenarios, ...pathConflictScenarios];

/**
 * The Edge Distribution Protocol driven directly (docs/protocol.md), the harness playing
 * Distribution and the source, in the order a reader of the protocol meets it.
 */
export const edpScenarios = [...edpBundleScenarios, ...edpTransactionScenarios, ...edpPublicationScenarios];
