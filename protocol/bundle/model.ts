import { z } from 'zod';
import { EdgeError } from '../errors.ts';
import { decodeUtf8, parseJsonObject, quote, type JsonObject } from './json.ts';
import { repoPathProblem } from './repo-path.ts';

/** JFrog's rule for release bundle names and versions (terraform-provider-distribution). */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\-:]+$/;
export const MAX_NAME_LENGTH = 128;
export const MAX_VERSION_LENGTH = 32;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
// ISO 8601 date-time as Distribution writes it: "2020-05-03T12:33:40.759+0300" or "...Z".
const CREATED_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

/** Says "is missing" for an absent member and "must be <expected>" for a wrongly typed one. */
function typed(expected: string) {
  return {
    error: (issue: { readonly input: unknown }) => (issue.input === undefined ? 'is missing' : `must be ${expected}`),
  };
}

/** EDP-SIG-10: also what Distribution and the source accept as a bundle name. */
export const bundleName = z
  .string(typed('a string'))
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .regex(NAME_PATTERN, `must match ${NAME_PATTERN}`);

/** EDP-SIG-11 */
export const bundleVersion = z
  .string(typed('a string'))
  .max(MAX_VERSION_LENGTH, `must be at most ${MAX_VERSION_LENGTH} characters`)
  .regex(NAME_PATTERN, `must match ${NAME_PATTERN}`)
  // EDP-SIG-11: JFrog resolves "LATEST" to the newest version, so no version may be called that.
  .refine((version) => version.toUpperCase() !== 'LATEST', 'must not be "LATEST" (reserved)');

const repoPath = z.string(typed('a string')).superRefine((path, ctx) => {
  const problem = repoPathProblem(path);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `${quote(path)} ${problem}` });
});

const prop = z.object(
  {
    key: z.string(typed('a string')),
    values: z.array(z.string(typed('a string')), typed('an array of strings')),
  },
  typed('an object'),
);

// EDP-SIG-22: unknown members are accepted and dropped from this view (z.object strips them);
// they stay in the signed bytes, which are what the Edge stores and serves.
const artifact = z.object(
  {
    // EDP-SIG-14..16
    repo_path: repoPath,
    // EDP-SIG-18: one spelling, so it compares equal to X-Checksum-Sha256 and filestore keys.
    checksum: z.string(typed('a string')).regex(SHA256_PATTERN, 'must be 64 lowercase hex digits (a sha256)'),
    // EDP-SIG-19: a safe integer, so byte counting never loses precision.
    size: z.int(typed('a non-negative integer')).min(0, 'must be a non-negative integer'),
    // EDP-SIG-20
    props: z.array(prop, typed('an array')).optional(),
  },
  typed('an object'),
);

// EDP-SIG-23: members are checked in this order, so the first problem reported is deterministic.
export const bundlePayloadSchema = z.object({
  // EDP-SIG-10
  name: bundleName,
  // EDP-SIG-11
  version: bundleVersion,
  // EDP-SIG-12: the type, then the fields a JFrog-shaped read shows.
  type: z.literal('release_bundle_v1', typed('"release_bundle_v1"')),
  created: z.string(typed('a string')).regex(CREATED_PATTERN, 'must be an ISO 8601 date-time'),
  description: z.string(typed('a string')).optional(),
  release_notes: z.object({ syntax: z.string(typed('a string')), content: z.string(typed('a string')) }, typed('an object')).optional(),
  // EDP-SIG-13: an empty bundle would commit nothing and still claim a name/version.
  artifacts: z.array(artifact, typed('an array')).min(1, 'must list at least one artifact'),
});

export type BundlePayload = z.output<typeof bundlePayloadSchema>;
export type BundleArtifact = BundlePayload['artifacts'][number];

export interface PayloadLimits {
  /** Largest sum of `artifacts[].size` the Edge accepts, in bytes. */
  maxTotalBytes: number;
}

/** Parses and validates the exact signed payload bytes of a bundle; a refusal names the member, index and repo_path (EDP-SIG-24). */
export function parseBundlePayload(bytes: Uint8Array, limits: PayloadLimits): BundlePayload {
  // EDP-SIG-9: UTF-8 I-JSON object.
  const json = parseJsonObject(decodeUtf8(bytes, 'bundle payload'), 'bundle payload');
  const result = bundlePayloadSchema.safeParse(json);
  // A failed parse always carries at least one issue; the first is reported.
  if (!result.success) throw schemaError(result.error.issues[0]!, json);
  checkUniqueRepoPaths(result.data.artifacts);
  checkFileFolderConflicts(result.data.artifacts);
  checkTotalSize(result.data.artifacts, limits.maxTotalBytes);
  return result.data;
}

function schemaError(issue: z.core.$ZodIssue, json: JsonObject): EdgeError {
  const field = fieldName(issue.path);
  const details: Record<string, unknown> = { field };
  let message = `${field} ${issue.message}`;
  const [top, index, member] = issue.path;
  if (top === 'artifacts' && typeof index === 'number') {
    details.index = index;
    const path = artifactRepoPath(json, index);
    if (path !== undefined) {
      details.repo_path = path;
      // A repo_path issue already quotes the path.
      if (member !== 'repo_path') message += ` (artifact ${quote(path)})`;
    }
  }
  return new EdgeError('EDP_BUNDLE_MALFORMED', message, details);
}

function artifactRepoPath(json: JsonObject, index: number): string | undefined {
  const artifacts = json.artifacts;
  if (!Array.isArray(artifacts)) return undefined;
  const entry: unknown = artifacts[index];
  if (typeof entry !== 'object' || entry === null || !('repo_path' in entry)) return undefined;
  return typeof entry.repo_path === 'string' ? entry.repo_path : undefined;
}

function checkUniqueRepoPaths(artifacts: readonly BundleArtifact[]): void {
  // EDP-SIG-17: exact comparison; two entries for one path would make the file's content ambiguous.
  const firstIndex = new Map<string, number>();
  for (const [index, { repo_path }] of artifacts.entries()) {
    const earlier = firstIndex.get(repo_path);
    if (earlier !== undefined) {
      throw new EdgeError('EDP_BUNDLE_MALFORMED', `artifacts[${index}].repo_path ${quote(repo_path)} duplicates artifacts[${earlier}]`, {
        field: `artifacts[${index}].repo_path`,
        index,
        repo_path,
        duplicate_of: earlier,
      });
    }
    firstIndex.set(repo_path, index);
  }
}

function checkFileFolderConflicts(artifacts: readonly BundleArtifact[]): void {
  // EDP-SIG-25: a path cannot be a file and the folder of another file of the same bundle; such
  // a bundle could never commit. Segment-wise and exact, like EDP-SIG-17: "r/a" holds "r/a/b"
  // but not "r/ab" or "r/A/b".
  const files = new Map<string, number>();
  const folders = new Map<string, number>();
  for (const [index, { repo_path }] of artifacts.entries()) {
    const segments = repo_path.split('/');
    const ancestors = segments.slice(2).map((_, i) => segments.slice(0, i + 2).join('/'));
    const fileAbove = ancestors.find((folder) => files.has(folder));
    if (fileAbove !== undefined) throw fileFolderConflict(index, repo_path, files.get(fileAbove)!, fileAbove, 'file');
    const fileBelow = folders.get(repo_path);
    if (fileBelow !== undefined) throw fileFolderConflict(index, repo_path, fileBelow, repo_path, 'folder');
    files.set(repo_path, index);
    for (const folder of ancestors) if (!folders.has(folder)) folders.set(folder, index);
  }
}

function fileFolderConflict(index: number, repoPath: string, other: number, path: string, kind: 'file' | 'folder'): EdgeError {
  const why = kind === 'file' ? `lies under ${quote(path)}, the file of artifacts[${other}]` : `is the folder of artifacts[${other}]`;
  return new EdgeError('EDP_BUNDLE_MALFORMED', `artifacts[${index}].repo_path ${quote(repoPath)} ${why}; a path cannot be both a file and a folder`, {
    field: `artifacts[${index}].repo_path`,
    index,
    repo_path: repoPath,
    conflicts_with: other,
  });
}

function checkTotalSize(artifacts: readonly BundleArtifact[], maxTotalBytes: number): void {
  // EDP-SIG-21: summed as BigInt, because a sum of safe integers need not be one.
  const total = artifacts.reduce((sum, { size }) => sum + BigInt(size), 0n);
  if (Number(total) > maxTotalBytes) {
    throw new EdgeError('EDP_BUNDLE_TOO_LARGE', `artifacts add up to ${total} bytes, over the limit of ${maxTotalBytes} bytes`, { limit_bytes: maxTotalBytes });
  }
}

/** ['artifacts', 2, 'checksum'] → "artifacts[2].checksum" */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)), '');
}
