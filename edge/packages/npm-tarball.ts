import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { EdgeError } from '../../protocol/errors.ts';

/** A `package.json` larger than this is not one npm wrote; reading stops there. */
const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

/** `package/package.json`, or the same under whatever top folder the packer used (pacote accepts any). */
const PACKAGE_JSON = /^[^/]+\/package\.json$/;

export type TarballReading = { sha512: string; sha256: string } & ({ packageJson: unknown } | { invalid: string });

/**
 * Reads an npm tarball once, as it streams: the SHA-512 of its bytes (`dist.integrity`), their
 * SHA-256 (to check the bytes are those the facts will be kept under) and its
 * `package.json`. A tarball that is not a gzipped tar, or holds no readable `package.json`,
 * comes back `invalid` with the reason; a failure of the source itself (damaged content) throws.
 */
export async function readNpmTarball(source: Readable): Promise<TarballReading> {
  const hash = createHash('sha512');
  const hash256 = createHash('sha256');
  const entries = extract();
  let json: Buffer | undefined;
  let problem: string | undefined;
  const reading = (async () => {
    for await (const entry of entries) {
      if (json !== undefined || problem !== undefined || entry.header.type !== 'file' || !PACKAGE_JSON.test(entry.header.name)) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size <= MAX_PACKAGE_JSON_BYTES) chunks.push(chunk);
      }
      if (size > MAX_PACKAGE_JSON_BYTES) problem = `${entry.header.name} is larger than ${MAX_PACKAGE_JSON_BYTES} bytes`;
      else json = Buffer.concat(chunks);
    }
  })();
  const gunzip = createGunzip();
  // Its failure is the pipeline's to report; a write racing it must not raise it again.
  gunzip.on('error', () => undefined);
  const unpacking = pipeline(gunzip, entries);
  let unpackFailed = false;
  const settled = unpacking.then(
    () => undefined,
    () => {
      unpackFailed = true;
    },
  );
  // Observed from the start: either may fail while the source is still being read.
  const finished = Promise.allSettled([unpacking, reading]);
  // Every byte is hashed, to the end, even once the archive proves broken: the checksums then
  // say which bytes were read, and a source that verifies as it streams (a smart remote's
  // download) has finished, one way or the other, when this returns.
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      hash.update(chunk);
      hash256.update(chunk);
      if (!unpackFailed && !gunzip.destroyed && !gunzip.write(chunk)) await Promise.race([once(gunzip, 'drain').catch(() => undefined), settled]);
    }
  } catch (error) {
    gunzip.destroy();
    await finished;
    throw error instanceof EdgeError ? error : new EdgeError('CONTENT_DAMAGED', 'The stored tarball could not be read.');
  }
  if (!unpackFailed && !gunzip.destroyed) gunzip.end();
  const results = await finished;
  const sums = { sha512: hash.digest('base64'), sha256: hash256.digest('hex') };
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) return { ...sums, invalid: `not a gzipped tar archive (${String((failed.reason as Error)?.message ?? failed.reason).slice(0, 120)})` };
  if (problem !== undefined) return { ...sums, invalid: problem };
  if (json === undefined) return { ...sums, invalid: 'the tarball holds no package/package.json' };
  try {
    return { ...sums, packageJson: JSON.parse(json.toString('utf8')) as unknown };
  } catch (error) {
    return { ...sums, invalid: `package.json is not valid JSON (${(error as Error).message.slice(0, 120)})` };
  }
}
