import { X509Certificate } from 'node:crypto';
import { readPublicKey } from '../../protocol/bundle/index.ts';
import type { TrustedCertificate } from '../../protocol/wire/access.ts';
import type { TrustedKey } from '../../protocol/wire/edp.ts';

/**
 * What an Edge must already trust when the vendor installed the trust themselves
 * (`--no-install-trust`): the simulators' access certificate and the fixture signing key.
 * They are recognised by fingerprint, not alias, so a vendor's own alias is fine too.
 */

export interface ExpectedTrust {
  /** The certificate the simulators sign circle-of-trust tokens with (PEM), and the alias it is installed under. */
  certificate: { alias: string; pem: string };
  /** The OpenPGP public key Distribution signs bundles with (armored), and its alias. */
  signingKey: { alias: string; armored: string };
}

/** What is missing, one phrase each (empty when the Edge trusts both). */
export async function missingTrust(expected: ExpectedTrust, certificates: readonly TrustedCertificate[], keys: readonly TrustedKey[]): Promise<string[]> {
  const missing: string[] = [];
  const certificate = new X509Certificate(expected.certificate.pem).fingerprint256;
  if (!certificates.some((c) => sameFingerprint(c.fingerprint_sha256, certificate))) {
    missing.push(`the simulators' certificate (alias ${expected.certificate.alias}, SHA-256 ${certificate})`);
  }
  const key = (await readPublicKey(expected.signingKey.armored, Date.now())).fingerprint;
  if (!keys.some((k) => sameFingerprint(k.fingerprint, key))) {
    missing.push(`the fixture signing key (alias ${expected.signingKey.alias}, fingerprint ${key})`);
  }
  return missing;
}

/** Fingerprints are written in upper or lower case, with or without colons. */
function sameFingerprint(a: string, b: string): boolean {
  const hex = (s: string) => s.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return hex(a) !== '' && hex(a) === hex(b);
}
