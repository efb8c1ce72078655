import { adminOnlyScenarios } from './admin-only.ts';
import { anonymousScenarios } from './anonymous.ts';
import { badCredentialScenarios } from './bad-credentials.ts';
import { loginSuspensionScenarios } from './login-suspension.ts';
import { userRightScenarios } from './user-rights.ts';

/** Users and access (EDGE-AUTH-1..4, 7, 9): credentials, anonymous access, users' rights, admin-only configuration, login suspension. */
export const accessScenarios = [...badCredentialScenarios, ...anonymousScenarios, ...userRightScenarios, ...adminOnlyScenarios, ...loginSuspensionScenarios];
