import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { buffer } from 'node:stream/consumers';
import {
  blobName,
  DOCKER_CONFIG,
  DOCKER_LAYER,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  LIST_MANIFEST_FILE,
  MANIFEST_FILE,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_LAYER,
  OCI_MANIFEST,
} from '../../protocol/wire/oci.ts';

/**
 * Tiny container images made in the test (no registry is reachable here), laid out as
 * Artifactory stores them (jfrog/jfrog-cli-artifactory `ocicontainer/`): a single-arch image's manifest, config and
 * layer in `<image>/<tag>/`; a multi-arch image's list in `<image>/<tag>/list.manifest.json` and
 * each platform in `<image>/sha256__<digest>/`.
 */

const hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A file of the layout, by its path in the repository. */
export interface LayoutFile {
  path: string;
  bytes: Buffer;
}

export interface BuiltImage {
  files: LayoutFile[];
  /** `sha256:<hex>` of the manifest (or list) the tag points at. */
  digest: string;
  manifest: Buffer;
  mediaType: string;
  /** The blobs (config first), as `sha256:<hex>`. */
  blobs: string[];
}

export type ImageFormat = 'docker' | 'oci';

export interface ImageSpec {
  image: string;
  /** The folder the manifest goes in: a tag, or `sha256__<hex>` for a multi-arch platform (set by `multiArch`). */
  tag: string;
  format: ImageFormat;
  /** The text of `/hello.txt` in the one layer: differs per image so digests differ. */
  text: string;
  architecture?: string;
}

/** A one-layer tar.gz holding `hello.txt`, its uncompressed digest (the config's diff_id) and itself. */
async function layer(text: string): Promise<{ tar: Buffer; gz: Buffer }> {
  const archive = pack();
  archive.entry({ name: 'hello.txt', mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 }, text);
  archive.finalize();
  const tar = await buffer(archive);
  return { tar, gz: gzipSync(tar) };
}

function types(format: ImageFormat) {
  return format === 'oci'
    ? { manifest: OCI_MANIFEST, config: OCI_CONFIG, layer: OCI_LAYER }
    : { manifest: DOCKER_MANIFEST, config: DOCKER_CONFIG, layer: DOCKER_LAYER };
}

/** The manifest, config and layer of one image, unplaced. */
async function imageParts(spec: ImageSpec): Promise<{ manifest: Buffer; blobs: Buffer[]; mediaType: string }> {
  const { tar, gz } = await layer(spec.text);
  const config = Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: 'linux',
      config: { Cmd: ['/hello.txt'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${hex(tar)}`] },
    }),
  );
  const t = types(spec.format);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: t.manifest,
      config: { mediaType: t.config, digest: `sha256:${hex(config)}`, size: config.length },
      layers: [{ mediaType: t.layer, digest: `sha256:${hex(gz)}`, size: gz.length }],
    }),
  );
  return { manifest, blobs: [config, gz], mediaType: t.manifest };
}

/** A single-arch image at `<image>/<tag>/`. */
export async function singleArch(spec: ImageSpec): Promise<BuiltImage> {
  const { manifest, blobs, mediaType } = await imageParts(spec);
  const folder = `${spec.image}/${spec.tag}`;
  return {
    files: [{ path: `${folder}/${MANIFEST_FILE}`, bytes: manifest }, ...blobs.map((bytes) => ({ path: `${folder}/${blobName(hex(bytes))}`, bytes }))],
    digest: `sha256:${hex(manifest)}`,
    manifest,
    mediaType,
    blobs: blobs.map((bytes) => `sha256:${hex(bytes)}`),
  };
}

/** A multi-arch image: the list at `<image>/<tag>/list.manifest.json`, each platform in `<image>/sha256__<digest>/`. */
/** `salt` goes into each layer, so each run's digests are its own. */
export async function multiArch(
  image: string,
  tag: string,
  format: ImageFormat,
  architectures: string[],
  salt = '',
): Promise<BuiltImage & { platforms: BuiltImage[] }> {
  const platforms: BuiltImage[] = [];
  const descriptors = [];
  for (const architecture of architectures) {
    const parts = await imageParts({ image, tag, format, text: `hello from ${image} on ${architecture}\n${salt}`, architecture });
    const folder = `${image}/${blobName(hex(parts.manifest))}`;
    platforms.push({
      files: [
        { path: `${folder}/${MANIFEST_FILE}`, bytes: parts.manifest },
        ...parts.blobs.map((bytes) => ({ path: `${folder}/${blobName(hex(bytes))}`, bytes })),
      ],
      digest: `sha256:${hex(parts.manifest)}`,
      manifest: parts.manifest,
      mediaType: parts.mediaType,
      blobs: parts.blobs.map((bytes) => `sha256:${hex(bytes)}`),
    });
    descriptors.push({
      mediaType: parts.mediaType,
      digest: `sha256:${hex(parts.manifest)}`,
      size: parts.manifest.length,
      platform: { architecture, os: 'linux' },
    });
  }
  const mediaType = format === 'oci' ? OCI_INDEX : DOCKER_MANIFEST_LIST;
  const list = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests: descriptors }));
  return {
    files: [{ path: `${image}/${tag}/${LIST_MANIFEST_FILE}`, bytes: list }, ...platforms.flatMap((p) => p.files)],
    digest: `sha256:${hex(list)}`,
    manifest: list,
    mediaType,
    blobs: [],
    platforms,
  };
}
