// @peculiar/x509 resolves its ASN.1 types through tsyringe, which needs the Reflect metadata
// polyfill loaded first (the library's README says so for v2).
import 'reflect-metadata';
import { randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, X509CertificateGenerator } from '@peculiar/x509';

const SIGNING = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** As long as an Artifactory root certificate lasts; rotating means a new circle anyway. */
const VALIDITY_DAYS = 3650;
/**
 * Starts a day early: a peer whose clock is behind must not find a just-created certificate
 * "not yet valid" (EDGE-TRUST-4), or a fresh circle would fail for a while.
 */
const BACKDATE_MS = DAY_MS;

/**
 * A service's self-signed root certificate for its token key (the Edge's own: EDGE-TRUST-1),
 * with the service id as common name so a peer's `trust list` shows whose certificate it holds.
 * In protocol/ because every member of a circle of trust has one: tests and scenarios make
 * other services' certificates with it, as the Edge makes its own.
 */
export async function createRootCertificate(privateKey: KeyObject, publicKey: KeyObject, serviceId: string, now: number): Promise<string> {
  const subtle = webcrypto.subtle;
  const keys = {
    privateKey: await subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), SIGNING, false, ['sign']),
    publicKey: await subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), SIGNING, true, ['verify']),
  };
  // A positive 128-bit serial, as RFC 5280 §4.1.2.2 asks.
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  const certificate = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: `CN=${serviceId}`,
      notBefore: new Date(now - BACKDATE_MS),
      notAfter: new Date(now + VALIDITY_DAYS * DAY_MS),
      signingAlgorithm: SIGNING,
      keys,
      extensions: [
        new BasicConstraintsExtension(true, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.digitalSignature, true),
      ],
    },
    webcrypto,
  );
  return certificate.toString('pem');
}
