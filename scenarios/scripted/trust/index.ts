import { bundleRejectionScenarios } from './bundle-rejections.ts';
import { certificateScenarios } from './certificates.ts';
import { circleScenarios } from './circle.ts';
import { rootCertificateScenarios } from './root-certificate.ts';
import { signingKeyScenarios } from './signing-keys.ts';
import { tokenIssuingScenarios } from './token-issuing.ts';
import { tokenLifecycleScenarios } from './token-lifecycle.ts';
import { tokenRefusalScenarios } from './token-refusals.ts';
import { tokenRejectionScenarios } from './token-rejections.ts';
import { tokenUseScenarios } from './token-use.ts';

/** The circle of trust, access tokens, trusted certificates and trusted signing keys. */
export const trustScenarios = [
  ...rootCertificateScenarios,
  ...tokenIssuingScenarios,
  ...tokenUseScenarios,
  ...tokenLifecycleScenarios,
  ...tokenRejectionScenarios,
  ...tokenRefusalScenarios,
  ...certificateScenarios,
  ...circleScenarios,
  ...signingKeyScenarios,
  ...bundleRejectionScenarios,
];
