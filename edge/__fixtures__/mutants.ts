/**
 * Deliberately broken Edges: the harness's self-validation (issue #10). Each mutant turns off
 * one guarantee; `edge/mutants.test.ts` switches them on one at a time (module mocks that
 * delegate to the real code unless their switch is on) and shows the conformance suite, run
 * over HTTP, fails the requirement that guarantee serves. Production code has no switches: a
 * mutant exists only inside that test's module graph.
 */

export interface Mutant {
  readonly name: string;
  /** What the broken Edge does wrong. */
  readonly breaks: string;
  /** The requirement IDs whose scenarios must catch it (at least one must fail). */
  readonly caughtBy: readonly string[];
}

export const MUTANTS = [
  { name: 'bundle-signature-skipped', breaks: 'a bundle JWS whose RS256 signature does not verify is accepted', caughtBy: ['EDP-SIG-7'] },
  {
    name: 'unknown-kid-tries-a-trusted-key',
    breaks: 'a bundle naming an unknown kid is checked against a trusted key instead of refused as untrusted',
    caughtBy: ['EDP-SIG-5'],
  },
  { name: 'local-repositories-writable', breaks: 'writes to local repositories other than the uploads repository are accepted', caughtBy: ['EDGE-RO-1'] },
  { name: 'deploy-checksums-ignored', breaks: 'X-Checksum-* headers on a deploy are not compared with the bytes', caughtBy: ['EDGE-ART-1'] },
  {
    name: 'publication-before-commit',
    breaks: "a bundle's files are published as soon as the last one is uploaded, before the commit",
    caughtBy: ['EDP-PUB-1'],
  },
  { name: 'bundle-deletion-ignored', breaks: 'deleting a bundle answers 204 and removes nothing', caughtBy: ['EDP-PUB-5'] },
  { name: 'uploads-deletion-not-refused', breaks: 'deleting the uploads repository is answered as done instead of refused', caughtBy: ['EDGE-RO-3'] },
  { name: 'token-signature-skipped', breaks: 'an access token whose signature does not verify is accepted', caughtBy: ['EDGE-TRUST-12'] },
  { name: 'any-audience-accepted', breaks: 'an access token for another service (wrong aud) is accepted', caughtBy: ['EDGE-TRUST-14'] },
  { name: 'bad-password-is-anonymous', breaks: 'a wrong password is treated as no credentials instead of refused', caughtBy: ['EDGE-AUTH-1'] },
] as const satisfies readonly Mutant[];

export type MutantName = (typeof MUTANTS)[number]['name'];

/** The mutants switched on: read by the module mocks of `edge/mutants.test.ts`. */
export const broken = new Set<MutantName>();
