import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

/**
 * Package files for the `packages` scenarios, made in memory: an npm tarball as `npm pack` lays
 * it out (`package/package.json`), and bytes for a wheel or sdist name (the PyPI index reads
 * names, not archives). `salt` makes each file's bytes unique to the run, so content another run
 * left on a shared Edge is never taken for this one's.
 */

/** A gzipped tar of `entries` (path → content), as `npm pack` writes one. */
export async function tarball(entries: Record<string, string>): Promise<Buffer> {
  const archive = pack();
  for (const [name, content] of Object.entries(entries)) archive.entry({ name, mtime: new Date(0) }, content);
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return gzipSync(Buffer.concat(chunks));
}

/** An npm tarball whose `package.json` is `manifest` (plus the salt, as its description). */
export function npmTarball(manifest: Record<string, unknown>, salt: string): Promise<Buffer> {
  return tarball({ 'package/package.json': JSON.stringify({ ...manifest, description: salt }), 'package/index.js': 'module.exports = 1;\n' });
}

/** Artifactory's path of a tarball in an npm repository: `<name>/-/<name>-<version>.tgz`. */
export function npmTarballPath(name: string, version: string): string {
  return `${name}/-/${name}-${version}.tgz`;
}
