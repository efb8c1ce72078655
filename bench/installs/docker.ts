import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { type InstallFormat, type PackageFile, payload, sh, writeAt } from './kit.ts';

const IMAGE = 'bench/app';
const TAG = '1.0';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A layer: a tar of one `kib` KiB file, gzipped; and its uncompressed digest for the config's rootfs. */
async function layer(index: number, kib: number): Promise<{ gz: Buffer; diffId: string }> {
  const tar = pack();
  tar.entry({ name: `layer-${index}.bin`, mtime: new Date(0) }, payload(kib, `layer-${index}`));
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return { gz: gzipSync(raw), diffId: `sha256:${sha256(raw)}` };
}

/** Docker/OCI: the image `bench/app:1.0` (an OCI manifest) of `count - 1` layers of `kib` KiB and a config. */
export const dockerFormat: InstallFormat = {
  name: 'docker',
  packageType: 'docker',
  commands: ['skopeo'],
  async build(_work, count, kib) {
    const layers = await Promise.all(Array.from({ length: Math.max(1, count - 1) }, (_, i) => layer(i + 1, kib)));
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
        layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${sha256(l.gz)}`, size: l.gz.length })),
      }),
    );
    // Artifactory's layout: the manifest and, beside it, every blob as `sha256__<hex>`.
    const files: PackageFile[] = [{ path: `${IMAGE}/${TAG}/manifest.json`, bytes: manifest }];
    for (const blob of [config, ...layers.map((l) => l.gz)]) files.push({ path: `${IMAGE}/${TAG}/sha256__${sha256(blob)}`, bytes: blob });
    return { files, target: `${IMAGE}:${TAG}` };
  },
  async layPlain(dir, set) {
    // An OCI image layout: what skopeo reads from a directory with no registry in front.
    await writeAt(dir, 'oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    const manifest = set.files.find((f) => f.path.endsWith('/manifest.json')) as PackageFile;
    for (const file of set.files) await writeAt(dir, `blobs/sha256/${sha256(file.bytes)}`, file.bytes);
    const ref = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${sha256(manifest.bytes)}`,
      size: manifest.bytes.length,
      annotations: { 'org.opencontainers.image.ref.name': TAG },
    };
    await writeAt(dir, 'index.json', JSON.stringify({ schemaVersion: 2, manifests: [ref] }));
  },
  async install(work, set, source) {
    const into = join(work, `docker-pull-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await mkdir(into, { recursive: true });
    const from =
      source.kind === 'edge'
        ? ['--src-tls-verify=false', '--src-creds', `${source.user}:${source.password}`, `docker://${new URL(source.base).host}/${source.repo}/${set.target}`]
        : [`oci:${source.dir}:${TAG}`];
    await sh('skopeo', ['--insecure-policy', 'copy', '--quiet', ...from, `dir:${into}`]);
  },
};
