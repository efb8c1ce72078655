import { X509Certificate, type KeyObject } from 'node:crypto';
import { EdgeError } from '../../protocol/errors.ts';
import { keyId } from '../../protocol/token/index.ts';

/** What the Edge knows about a certificate it accepted. */
export interface CertificateInfo {
  /** RFC 7638 thumbprint of the public key: the kid of the tokens it verifies. */
  kid: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
  publicKey: KeyObject;
  /** The certificate as PEM, whatever form it arrived in. */
  pem: string;
}

/** Tokens are RS256 (EDGE-TRUST-10), and jose, like RFC 7518 §3.3, wants 2048 bits or more. */
const MIN_RSA_BITS = 2048;
/** Far larger than any single certificate; more is not a certificate file. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----/g;

/**
 * EDGE-TRUST-4: accepts one X.509 certificate (PEM or DER) that is valid at `now` and carries
 * an RSA key tokens can be verified with; anything else is refused with CERT_INVALID saying
 * why, and trusts nothing.
 */
export async function inspectCertificate(data: Buffer | string, now: number): Promise<CertificateInfo> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (bytes.length === 0) throw invalid('the certificate is empty');
  if (bytes.length > MAX_CERTIFICATE_BYTES) throw invalid(`the file is larger than ${MAX_CERTIFICATE_BYTES} bytes`);
  const blocks = bytes.toString('latin1').match(PEM_BLOCK)?.length ?? 0;
  if (blocks > 1) throw invalid(`the file holds ${blocks} certificates; put each in its own .crt file`);

  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(bytes);
  } catch {
    throw invalid('it does not parse as an X.509 certificate (PEM or DER)');
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (now < notBefore.getTime()) throw invalid(`it is not valid before ${notBefore.toISOString()}`);
  if (now > notAfter.getTime()) throw invalid(`it expired on ${notAfter.toISOString()}`);

  const publicKey = certificate.publicKey;
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (publicKey.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
    const what = publicKey.asymmetricKeyType === 'rsa' ? `a ${bits}-bit RSA key` : `a ${publicKey.asymmetricKeyType ?? 'unknown'} key`;
    throw invalid(`it has ${what}; tokens are RS256, so only RSA keys of ${MIN_RSA_BITS} bits or more can be trusted`);
  }
  // A root certificate signs itself; when that signature fails the file was altered.
  if (certificate.subject === certificate.issuer && !certificate.verify(publicKey)) {
    throw invalid('it is self-issued but its signature does not verify');
  }
  return {
    kid: await keyId(publicKey),
    subject: certificate.subject.replace(/\n/g, ', '),
    issuer: certificate.issuer.replace(/\n/g, ', '),
    notBefore,
    notAfter,
    fingerprint: certificate.fingerprint256,
    publicKey,
    pem: certificate.toString(),
  };
}

function invalid(why: string): EdgeError {
  return new EdgeError('CERT_INVALID', `Certificate refused: ${why}.`);
}
