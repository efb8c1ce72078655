import { md5, sha1 } from '@noble/hashes/legacy';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/** Read in slices so a large file never sits in memory whole. */
const SLICE = 1024 * 1024;

/**
 * The checksums an upload declares (EDGE-UI-4): computed here, in the browser, and sent as
 * X-Checksum-* so the Edge verifies what arrived is what the user chose. In script rather
 * than WebCrypto, which only secure contexts have (an Edge on plain HTTP is not one) and which
 * has no MD5.
 */
export async function fileChecksums(file: Blob, progress: (done: number) => void = () => undefined): Promise<{ sha256: string; sha1: string; md5: string }> {
  const hashes = { sha256: sha256.create(), sha1: sha1.create(), md5: md5.create() };
  for (let offset = 0; offset < file.size; offset += SLICE) {
    const bytes = new Uint8Array(await file.slice(offset, offset + SLICE).arrayBuffer());
    for (const hash of Object.values(hashes)) hash.update(bytes);
    progress(Math.min(offset + SLICE, file.size));
  }
  return { sha256: bytesToHex(hashes.sha256.digest()), sha1: bytesToHex(hashes.sha1.digest()), md5: bytesToHex(hashes.md5.digest()) };
}
