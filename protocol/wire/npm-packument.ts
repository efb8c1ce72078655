import semver from 'semver';

/**
 * npm's registry documents as an Edge serves them under `/artifactory/api/npm/{repo}/`: the
 * packument (npm/registry docs/responses/package-metadata.md) built from the `package.json` of
 * each tarball the repository holds. Pure, so the Edge, simulators and scenarios share it.
 */

/** What `npm install` asks for first; the full document is sent otherwise. */
export const NPM_ABBREVIATED = 'application/vnd.npm.install-v1+json';

/** The fields of a tarball's `package.json` a packument version carries; the rest (readme, scripts) stays in the tarball. */
const KEPT = [
  'description',
  'main',
  'license',
  'deprecated',
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bin',
  'directories',
  'engines',
  'os',
  'cpu',
  'funding',
] as const;

/** Kept in the full form only; the abbreviated form keeps the rest (and name, version, dist, hasInstallScript). */
const FULL_ONLY = new Set<string>(['description', 'main', 'license']);

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** A version's manifest as the index keeps it: what `manifestOf` took from `package.json`. */
export interface NpmManifest {
  name: string;
  version: string;
  hasInstallScript?: true;
  [field: string]: unknown;
}

/**
 * npm's name rules (validate-npm-package-name): at most 214 characters, URL-safe, no leading
 * `.` or `_`, `@scope/` (lower case) at most once. Upper case is kept: packages published
 * before npm forbade it still install.
 */
const NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[A-Za-z0-9~-][A-Za-z0-9._~-]*$/;

export function isNpmName(name: string): boolean {
  return name.length <= 214 && NAME.test(name);
}

/** The manifest of a `package.json`, or why it cannot be one (said to whoever delivered the tarball). */
export function manifestOf(packageJson: unknown): { manifest: NpmManifest } | { invalid: string } {
  if (typeof packageJson !== 'object' || packageJson === null || Array.isArray(packageJson)) return { invalid: 'package.json is not a JSON object' };
  const json = packageJson as Record<string, unknown>;
  const { name, version, scripts } = json;
  if (typeof name !== 'string' || !isNpmName(name)) return { invalid: `package.json has no valid "name" (${JSON.stringify(name)?.slice(0, 80)})` };
  if (typeof version !== 'string' || semver.valid(version) !== version) {
    return { invalid: `package.json of ${name} has no valid semver "version" (${JSON.stringify(version)?.slice(0, 80)})` };
  }
  const manifest: NpmManifest = { name, version };
  for (const field of KEPT) if (json[field] !== undefined) manifest[field] = json[field];
  const scriptNames = typeof scripts === 'object' && scripts !== null ? Object.keys(scripts) : [];
  if (INSTALL_SCRIPTS.some((s) => scriptNames.includes(s))) manifest.hasInstallScript = true;
  return { manifest };
}

/** One version of a packument: its manifest and where its tarball is. */
export interface PackumentVersion {
  manifest: NpmManifest;
  /** Absolute URL of the tarball on the server that answers. */
  tarball: string;
  /** SHA-1 of the tarball, hex (`dist.shasum`). */
  sha1: string;
  /** SHA-512 of the tarball, base64 (`dist.integrity` is `sha512-` and this). */
  sha512: string;
  /** When the tarball arrived, ms. */
  published: number;
}

/** `dist-tags.latest`: the highest release version; the highest prerelease only when there is no release. */
export function latestVersion(versions: readonly string[]): string | undefined {
  const sorted = [...versions].sort(semver.rcompare);
  return sorted.find((v) => semver.prerelease(v) === null) ?? sorted[0];
}

/**
 * The packument of `name`: every version (by semver order), `dist-tags.latest`, and, in the
 * full form, `time` and `_id`s. Undefined when there is no version.
 */
export function packument(name: string, versions: readonly PackumentVersion[], abbreviated: boolean): Record<string, unknown> | undefined {
  const ordered = [...versions].sort((a, b) => semver.compare(a.manifest.version, b.manifest.version));
  const latest = latestVersion(ordered.map((v) => v.manifest.version));
  if (latest === undefined) return undefined;
  const modified = new Date(Math.max(...ordered.map((v) => v.published))).toISOString();
  const doc: Record<string, Record<string, unknown>> = {};
  for (const v of ordered) {
    const dist = { tarball: v.tarball, shasum: v.sha1, integrity: `sha512-${v.sha512}` };
    const fields = Object.entries(v.manifest).filter(([key]) => !abbreviated || !FULL_ONLY.has(key));
    doc[v.manifest.version] = {
      ...Object.fromEntries(fields),
      name,
      version: v.manifest.version,
      ...(abbreviated ? {} : { _id: `${name}@${v.manifest.version}` }),
      dist,
    };
  }
  if (abbreviated) return { name, modified, 'dist-tags': { latest }, versions: doc };
  const time: Record<string, string> = { created: new Date(Math.min(...ordered.map((v) => v.published))).toISOString(), modified };
  for (const v of ordered) time[v.manifest.version] = new Date(v.published).toISOString();
  return { _id: name, name, 'dist-tags': { latest }, versions: doc, time };
}

/** Whether the client asked for the abbreviated form (`npm install` does). */
export function wantsAbbreviated(accept: string | undefined): boolean {
  return accept?.toLowerCase().includes(NPM_ABBREVIATED) ?? false;
}

/**
 * The package a registry path names, from the raw (still percent-encoded) path after
 * `/api/npm/{repo}/`: `name`, `@scope%2fname` or `@scope/name`. Undefined for any other path
 * (a tarball's, say).
 */
export function packageNameOfPath(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  return isNpmName(decoded) ? decoded : undefined;
}

/** npm's error body: npm prints `error` after the status line; Artifactory's `errors` stay beside it. */
export function npmErrorBody<T extends { errors: { message: string }[] }>(body: T): T & { error: string } {
  return { ...body, error: body.errors.map((e) => e.message).join('; ') };
}
