import type { PlatformIdentity } from '../../simulator/platform.ts';
import type { ExpectedTrust } from '../targets/preinstalled-trust.ts';

/**
 * The fixed test material scenarios sign and trust with. The harness takes it as an argument
 * (the CLI and the tests load it from fixtures/), so a vendor can pre-trust the same keys.
 */

export type KeyName = 'bundle-signing' | 'untrusted-signing' | 'passphrase-signing' | 'expired-signing' | 'weak-rsa1024' | 'ed25519-signing';
export type SecretKeyName = Extract<KeyName, 'bundle-signing' | 'untrusted-signing' | 'passphrase-signing' | 'expired-signing'>;

export interface Material {
  /** Armored OpenPGP public key. */
  publicKey(name: KeyName): string;
  /** Armored OpenPGP secret key. */
  secretKey(name: SecretKeyName): string;
  /** Passphrase of `passphrase-signing`'s secret key. */
  readonly passphrase: string;
  /** The simulated platform's identity: its GPG key (bundle-signing) and its access certificate. */
  readonly simulatorIdentity: PlatformIdentity;
}

/** The aliases the harness installs its trust under, on the Edge (docs/vendors.md lists them). */
export const TRUST_ALIASES = { simulatorCertificate: 'edgeproof-sim', signingKey: 'edgeproof-fixture' } as const;

/** What an Edge must already trust when the vendor installed the trust (`--no-install-trust`). */
export function preinstalledTrust(material: Material): ExpectedTrust {
  return {
    certificate: { alias: TRUST_ALIASES.simulatorCertificate, pem: material.simulatorIdentity.access.certificatePem },
    signingKey: { alias: TRUST_ALIASES.signingKey, armored: material.publicKey('bundle-signing') },
  };
}
