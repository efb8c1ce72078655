import { checksumScenarios } from './checksums.ts';
import { fileScenarios } from './files.ts';
import { jwsFormScenarios } from './jws-form.ts';
import { jwsHeaderScenarios } from './jws-header.ts';
import { lifecycleScenarios } from './lifecycle.ts';
import { payloadScenarios } from './payload.ts';
import { publicationScenarios } from './publication.ts';
import { signatureScenarios } from './signature.ts';
import { signingKeyScenarios } from './signing-keys.ts';
import { transactionScenarios } from './transactions.ts';

/** The Edge Distribution Protocol driven directly, the harness playing Distribution and the source (docs/protocol.md). */
export const edpScenarios = [...jwsFormScenarios, ...jwsHeaderScenarios, ...signatureScenarios, ...payloadScenarios, ...transactionScenarios, ...lifecycleScenarios, ...fileScenarios, ...checksumScenarios, ...publicationScenarios, ...signingKeyScenarios];
