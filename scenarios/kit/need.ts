import type { Capability } from '../targets/target.ts';

/**
 * What a scenario may need beyond HTTP: a target capability, or `trust-changes` — the scenario
 * adds or removes trusted keys and certificates itself, which a run with `--no-install-trust`
 * (a vendor's pre-installed trust) does not allow.
 */
export type Need = Capability | 'trust-changes';
