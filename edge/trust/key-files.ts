import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Where the circle of trust lives in the data directory. The layout is JFrog's
 * (`$JFROG_HOME/artifactory/var/etc/access/keys/...`, jfrog-compat.md §5), so operators who know
 * Artifactory find the files where they expect them.
 */
export function keysDir(dataDir: string): string {
  return join(dataDir, 'access', 'keys');
}

export function privateKeyFile(dataDir: string): string {
  return join(keysDir(dataDir), 'private.key');
}

export function rootCertificateFile(dataDir: string): string {
  return join(keysDir(dataDir), 'root.crt');
}

export function trustedDir(dataDir: string): string {
  return join(keysDir(dataDir), 'trusted');
}

/**
 * Writes through a hidden temporary file and a rename, so neither a crash nor a folder
 * watcher ever sees half a key or half a certificate.
 */
export async function writeFileAtomically(file: string, data: string | Buffer, mode: number): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { mode, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
