import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EdgeError, isEdgeError } from '../../protocol/errors.ts';
import { MAX_CERTIFICATE_BYTES, inspectCertificate, type CertificateInfo } from './certificate.ts';
import { writeFileAtomically } from './key-files.ts';

/**
 * The trusted folder (`access/keys/trusted/`): every `<alias>.crt` in it is a trusted
 * certificate (EDGE-TRUST-3). The REST API, the CLI and the watcher all go through these
 * functions, so a certificate is judged the same way whichever door it came in by.
 */
const CERTIFICATE_SUFFIX = '.crt';
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A file's identity on disk; a change means it must be read again. */
export interface FileStamp {
  ino: number;
  size: number;
  ctimeMs: number;
  mtimeMs: number;
}

export interface TrustedEntry extends CertificateInfo {
  alias: string;
  file: string;
  stamp: FileStamp;
}

export interface RefusedEntry {
  alias: string;
  file: string;
  stamp: FileStamp;
  reason: string;
}

export interface FolderScan {
  trusted: TrustedEntry[];
  refused: RefusedEntry[];
}

/** Names become file names: no separators, no leading dot, nothing a shell must quote. */
function validateAlias(alias: string): string {
  if (!ALIAS.test(alias)) {
    throw new EdgeError('BAD_REQUEST', `Invalid alias: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
  }
  return alias;
}

export async function scanTrustedFolder(dir: string, now: number): Promise<FolderScan> {
  const scan: FolderScan = { trusted: [], refused: [] };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return scan;
    throw error;
  }
  for (const name of names.sort()) {
    // Hidden files are the atomic writers' temporaries; other suffixes are not certificates.
    if (!name.endsWith(CERTIFICATE_SUFFIX) || name.startsWith('.')) continue;
    const alias = name.slice(0, -CERTIFICATE_SUFFIX.length);
    const file = join(dir, name);
    // Stamped before reading: should the file change meanwhile, the stamp no longer matches
    // and the next check reads it again.
    const stamp = await stampOf(file);
    if (stamp === undefined) continue;
    try {
      scan.trusted.push({ alias, file, stamp, ...(await inspectCertificate(await readCertificateFile(file), now)) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      scan.refused.push({ alias, file, stamp, reason: isEdgeError(error) ? error.message : `cannot be read: ${(error as Error).message}` });
    }
  }
  return scan;
}

/** EDGE-TRUST-5: validates first (CERT_INVALID), then writes `<alias>.crt` as PEM. */
export async function addTrusted(dir: string, alias: string, data: Buffer | string, now: number): Promise<{ entry: CertificateInfo; replaced: boolean }> {
  validateAlias(alias);
  const entry = await inspectCertificate(data, now);
  const file = join(dir, alias + CERTIFICATE_SUFFIX);
  const replaced = await exists(file);
  await writeFileAtomically(file, entry.pem, 0o644);
  return { entry, replaced };
}

/** Removes `<alias>.crt`; false when there was none. */
export async function removeTrusted(dir: string, alias: string): Promise<boolean> {
  validateAlias(alias);
  const file = join(dir, alias + CERTIFICATE_SUFFIX);
  if (!(await exists(file))) return false;
  await rm(file, { force: true });
  return true;
}

/** A certificate as the REST API and `edgeproof trust list --json` show it. */
export function certificateSummary(entry: CertificateInfo) {
  return {
    kid: entry.kid,
    subject: entry.subject,
    issuer: entry.issuer,
    not_before: entry.notBefore.toISOString(),
    not_after: entry.notAfter.toISOString(),
    fingerprint_sha256: entry.fingerprint,
  };
}

export function folderSummary(scan: FolderScan) {
  return {
    trusted: scan.trusted.map((entry) => ({ alias: entry.alias, ...certificateSummary(entry) })),
    refused: scan.refused.map(({ alias, reason }) => ({ alias, reason })),
  };
}

export async function stampOf(file: string): Promise<FileStamp | undefined> {
  try {
    const { ino, size, ctimeMs, mtimeMs } = await stat(file);
    return { ino, size, ctimeMs, mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Equal stamps, or both files absent. */
export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.ino === b.ino && a.size === b.size && a.ctimeMs === b.ctimeMs && a.mtimeMs === b.mtimeMs;
}

/** Refuses a FIFO or a huge file without opening it. */
async function readCertificateFile(file: string): Promise<Buffer> {
  const stats = await stat(file);
  if (!stats.isFile()) throw new EdgeError('CERT_INVALID', 'Certificate refused: it is not a regular file.');
  if (stats.size > MAX_CERTIFICATE_BYTES) throw new EdgeError('CERT_INVALID', `Certificate refused: the file is larger than ${MAX_CERTIFICATE_BYTES} bytes.`);
  return readFile(file);
}

async function exists(file: string): Promise<boolean> {
  return (await stampOf(file)) !== undefined;
}
