import { z } from 'zod';
import type { ArtifactoryErrorBody, ArtifactoryErrorEntry } from '../errors.ts';

/**
 * The OCI distribution-spec pull API as an Edge serves it (`/v2/…`), over Artifactory's storage
 * layout for Docker repositories (JFrog's docker-repository-url-formats; jfrog-cli-artifactory ocicontainer/). Pure, so the Edge, simulators and
 * scenarios share it.
 */

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** Sent on every answer under `/v2/`; Docker clients look for it on the ping. */
export const API_VERSION_HEADER = 'docker-distribution-api-version';
export const API_VERSION = 'registry/2.0';
export const DIGEST_HEADER = 'docker-content-digest';
/** The repository key, which `jf docker pull` reads on its HEAD of a manifest (jfrog/jfrog-cli-artifactory `ocicontainer/image.go`). */
export const REGISTRY_HEADER = 'x-artifactory-docker-registry';

/** Artifactory's file names in a tag folder. */
export const MANIFEST_FILE = 'manifest.json';
export const LIST_MANIFEST_FILE = 'list.manifest.json';
const BLOB_PREFIX = 'sha256__';

const NAME = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const SHA256_DIGEST = /^sha256:([a-f0-9]{64})$/;
/** Any algorithm the spec's grammar allows; only sha256 is stored. */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export const isImageName = (name: string): boolean => NAME.test(name);
export const isTag = (reference: string): boolean => TAG.test(reference);
export const isDigest = (reference: string): boolean => DIGEST.test(reference);
/** The hex of a `sha256:<hex>` digest; undefined for another algorithm or a malformed one. */
export const sha256Of = (digest: string): string | undefined => SHA256_DIGEST.exec(digest)?.[1];
export const digestOf = (sha256: string): string => `sha256:${sha256}`;
/** `sha256__<hex>`: how Artifactory names a blob file, and the folder of a multi-arch image's platform manifest. */
export const blobName = (sha256: string): string => `${BLOB_PREFIX}${sha256}`;
/** The hex a `sha256__<hex>` name carries; undefined for any other name. */
export const blobNameHex = (name: string): string | undefined =>
  name.startsWith(BLOB_PREFIX) ? /^[a-f0-9]{64}$/.exec(name.slice(BLOB_PREFIX.length))?.[0] : undefined;

/** Where a stored path sits in the layout: a manifest of `<image>/<folder>/`, a blob of it, or neither. */
export type LayoutEntry =
  | { kind: 'manifest'; image: string; folder: string; list: boolean }
  | { kind: 'blob'; image: string; folder: string; sha256: string }
  | { kind: 'other' };

export function layoutOf(path: string): LayoutEntry {
  const parts = path.split('/');
  if (parts.length < 3) return { kind: 'other' };
  const file = parts.at(-1) as string;
  const folder = parts.at(-2) as string;
  const image = parts.slice(0, -2).join('/');
  if (file === MANIFEST_FILE || file === LIST_MANIFEST_FILE) return { kind: 'manifest', image, folder, list: file === LIST_MANIFEST_FILE };
  const sha256 = blobNameHex(file);
  return sha256 ? { kind: 'blob', image, folder, sha256 } : { kind: 'other' };
}

/** A folder named like a tag is a tag; `sha256__<hex>` folders hold a multi-arch image's platforms. */
export const isTagFolder = (folder: string): boolean => blobNameHex(folder) === undefined && isTag(folder);

const descriptor = z.looseObject({
  mediaType: z.string().max(256).optional(),
  digest: z.string().max(256),
  size: z.number().int().min(0),
  urls: z.array(z.string()).optional(),
});
const imageManifest = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().max(256).optional(),
  artifactType: z.string().max(256).optional(),
  subject: descriptor.optional(),
  config: descriptor,
  layers: z.array(descriptor),
});
const indexManifest = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().max(256).optional(),
  artifactType: z.string().max(256).optional(),
  subject: descriptor.optional(),
  manifests: z.array(descriptor),
});

/** What the Edge needs of a manifest: the media type it is served as, and the digests it references. */
export interface ManifestFacts {
  mediaType: string;
  /** An index (manifest list): `references` are manifests; otherwise the config and layers. */
  index: boolean;
  /** sha256 hex of each referenced blob or manifest the registry must hold (foreign layers with `urls` excluded). */
  references: string[];
  /** The manifest it refers to (OCI 1.1 `subject`), as sha256 hex: what the referrers API lists it under. */
  subject?: string;
  /** `artifactType`, or the config's media type, as the referrers API reports it. */
  artifactType?: string;
}

/**
 * Reads a stored manifest. The media type comes from its `mediaType`; an OCI manifest may omit
 * it, and then its shape says which (`manifests` → index, `config` → image).
 */
export function parseManifest(bytes: Uint8Array): ManifestFacts | { invalid: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { invalid: 'it is not JSON' };
  }
  const isIndex = typeof json === 'object' && json !== null && 'manifests' in json;
  const parsed = (isIndex ? indexManifest : imageManifest).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { invalid: `'${issue?.path.join('.') ?? ''}' ${issue?.message ?? 'is invalid'}`.replace(/^'' /, '') };
  }
  const doc = parsed.data as {
    mediaType?: string;
    artifactType?: string;
    subject?: z.infer<typeof descriptor>;
    config?: z.infer<typeof descriptor>;
    layers?: z.infer<typeof descriptor>[];
    manifests?: z.infer<typeof descriptor>[];
  };
  const mediaType = doc.mediaType ?? (isIndex ? OCI_INDEX : OCI_MANIFEST);
  const known = isIndex ? [DOCKER_MANIFEST_LIST, OCI_INDEX] : [DOCKER_MANIFEST, OCI_MANIFEST];
  if (!known.includes(mediaType)) return { invalid: `media type '${mediaType}' is not ${known.join(' or ')}` };
  const descriptors = isIndex ? (doc.manifests ?? []) : [doc.config as z.infer<typeof descriptor>, ...(doc.layers ?? [])];
  const references: string[] = [];
  for (const d of descriptors) {
    if (d.urls && d.urls.length > 0) continue;
    const hex = sha256Of(d.digest);
    if (!hex) return { invalid: `digest '${d.digest}' is not a sha256 digest` };
    references.push(hex);
  }
  const subject = doc.subject ? sha256Of(doc.subject.digest) : undefined;
  const artifactType = doc.artifactType ?? doc.config?.mediaType;
  return { mediaType, index: isIndex, references, ...(subject ? { subject } : {}), ...(artifactType ? { artifactType } : {}) };
}

/** One of the spec's error codes (distribution-spec, "Error Codes"). */
export type OciErrorCode =
  | 'BLOB_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS';

const OCI_CODES = new Set<string>([
  'BLOB_UNKNOWN',
  'DIGEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN',
  'NAME_INVALID',
  'NAME_UNKNOWN',
  'UNAUTHORIZED',
  'DENIED',
  'UNSUPPORTED',
  'TOOMANYREQUESTS',
]);

/** The spec's code for a refusal of the Edge's own vocabulary, by its status. */
const BY_STATUS: Record<number, OciErrorCode> = { 401: 'UNAUTHORIZED', 403: 'DENIED', 404: 'NAME_UNKNOWN', 405: 'UNSUPPORTED', 429: 'TOOMANYREQUESTS' };

/**
 * EDGE-OCI-6: Artifactory's error body in the registry's shape: each entry's `code` is one of
 * the spec's (the Edge's own code, when it differs, goes in `detail.edgeCode`); `status` and
 * `message` stay, so both kinds of client read it.
 */
export function ociErrorBody(body: ArtifactoryErrorBody): ArtifactoryErrorBody {
  return {
    errors: body.errors.map((entry): ArtifactoryErrorEntry & { detail?: unknown } => {
      if (OCI_CODES.has(String(entry.code))) return entry;
      const code = entry.code === 'BAD_REPO_KEY' ? 'NAME_INVALID' : BY_STATUS[entry.status];
      return code ? { ...entry, code, detail: { edgeCode: entry.code } } : entry;
    }),
  };
}

/** The Bearer challenge a 401 under `/v2/` carries (as Artifactory's request logs show it in JFrog's KB how-to-troubleshoot-docker-problems). */
export function bearerChallenge(realm: string, service: string, scope?: string): string {
  return `Bearer realm="${realm}",service="${service}"${scope ? `,scope="${scope}"` : ''}`;
}

/**
 * EDGE-OCI-5: one page of a tag list (sorted lexically; `last` excludes itself and what sorts
 * before it; `n` caps the page) and whether more remain, for the `Link` header.
 */
export function tagPage(tags: readonly string[], n: number | undefined, last: string | undefined): { tags: string[]; more: boolean } {
  const sorted = [...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const after = last === undefined ? sorted : sorted.filter((tag) => tag > last);
  if (n === undefined) return { tags: after, more: false };
  return { tags: after.slice(0, n), more: n > 0 && after.length > n };
}

/** The `Link` header of a page with more after it. */
export function nextLink(path: string, n: number, last: string): string {
  return `<${path}?n=${n}&last=${encodeURIComponent(last)}>; rel="next"`;
}

/** EDGE-OCI-5: the referrers answer: an OCI index of the manifests whose `subject` is the digest. */
export function referrersIndex(referrers: readonly { digest: string; size: number; facts: ManifestFacts }[]): object {
  return {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: referrers.map(({ digest, size, facts }) => ({
      mediaType: facts.mediaType,
      digest,
      size,
      ...(facts.artifactType ? { artifactType: facts.artifactType } : {}),
    })),
  };
}
