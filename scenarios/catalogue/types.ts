/**
 * The requirement catalogue's shape: every requirement the harness knows, with its level, the
 * profile it belongs to and where it comes from. docs/requirements.md and the requirement
 * lists of docs/protocol.md are generated from it (`npm run requirements`).
 */

/** RFC 2119 keywords, strongest first. */
export const LEVELS = ['MUST', 'SHOULD', 'MAY'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * - `core`: Artifactory behaviour any Edge shows (artifacts, input, users and access, system);
 * - `read-only`: the Edge licence's write refusals and the uploads repository;
 * - `edp`: the Edge Distribution Protocol (docs/protocol.md);
 * - `trust`: the circle of trust and trusted signing keys;
 * - `smart-remote`: smart remote and virtual repositories (pulling from other Artifactory
 *   instances, presenting several repositories as one);
 * - `packages`: the package formats' pull APIs (Docker/OCI, npm, PyPI, Maven), with indexes computed on the Edge;
 * - `implementation`: edgeproof's own Edge as an operator runs it (data directory, CLI,
 *   durability across power loss); no other Edge is held to them, so they are checked by the
 *   tests in `test/`, not by scenarios.
 */
export const PROFILES = ['core', 'read-only', 'edp', 'trust', 'smart-remote', 'packages', 'implementation'] as const;
export type Profile = (typeof PROFILES)[number];

export interface Requirement {
  /** `EDGE-RO-1`, `EDP-TX-3`, ... */
  readonly id: string;
  readonly level: Level;
  readonly profile: Profile;
  /** The sentence the requirement states, in Markdown. */
  readonly text: string;
  /** Where it comes from: a JFrog documentation fact (docs/jfrog-compat.md §), an EDP section, a decision. */
  readonly source: string;
}

/** A family of requirements (`EDGE-RO`), as one section of the generated document. */
export interface Family {
  readonly prefix: string;
  readonly title: string;
  /** The document the family's list is written into. */
  readonly doc: 'requirements' | 'protocol';
  /** Markdown shown before the list. */
  readonly intro?: string;
  readonly requirements: readonly Requirement[];
}
