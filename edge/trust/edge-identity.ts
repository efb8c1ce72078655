import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { keyId } from '../../protocol/token/index.ts';
import { ConfigError } from '../config.ts';
import { keysDir, privateKeyFile, rootCertificateFile, trustedDir, writeFileAtomically } from './key-files.ts';

/** The Edge's own token key and certificate. */
export interface EdgeIdentity {
  serviceId: string;
  /** kid of every token this Edge signs. */
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificatePem: string;
}

const RSA_BITS = 2048;

/**
 * EDGE-TRUST-1: on first start, creates the signing key (`access/keys/private.key`, owner-only)
 * and the self-signed `access/keys/root.crt`; later starts load them. The certificate is
 * derived from the key, so a missing certificate is re-created, while a certificate that does
 * not match the key stops the start: tokens signed with one could not be checked with the other
 * (EDGE-TRUST-19: a peer holding the certificate must be able to check the Edge's tokens).
 */
export async function loadOrCreateIdentity(dataDir: string, serviceId: string, now: number): Promise<EdgeIdentity> {
  await mkdir(keysDir(dataDir), { recursive: true, mode: 0o700 });
  await mkdir(trustedDir(dataDir), { recursive: true });

  let privatePem = await readIfPresent(privateKeyFile(dataDir));
  if (privatePem === undefined) {
    const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: RSA_BITS });
    privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await writeFileAtomically(privateKeyFile(dataDir), privatePem, 0o600);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privatePem);
  } catch {
    throw new ConfigError(`${privateKeyFile(dataDir)} is not a PEM private key.`);
  }
  const publicKey = createPublicKey(privateKey);

  let certificatePem = await readIfPresent(rootCertificateFile(dataDir));
  if (certificatePem === undefined) {
    // Only the first start makes a certificate; its library loads only then.
    const { createRootCertificate } = await import('../../protocol/token/root-certificate.ts');
    certificatePem = await createRootCertificate(privateKey, publicKey, serviceId, now);
    await writeFileAtomically(rootCertificateFile(dataDir), certificatePem, 0o644);
  }
  let certificateKey: KeyObject;
  try {
    certificateKey = createPublicKey(certificatePem);
  } catch {
    throw new ConfigError(`${rootCertificateFile(dataDir)} is not a PEM certificate.`);
  }
  if (!certificateKey.equals(publicKey)) {
    throw new ConfigError(`${rootCertificateFile(dataDir)} does not hold the public key of ${privateKeyFile(dataDir)}; remove root.crt to have it re-created.`);
  }
  return { serviceId, kid: await keyId(publicKey), privateKey, publicKey, certificatePem };
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
