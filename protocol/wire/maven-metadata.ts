import { compareMavenVersions, isSnapshotVersion } from '../maven-version.ts';

/**
 * Maven's repository metadata (maven-repository-metadata 1.1.0): the `maven-metadata.xml` of an
 * artifact's folder (its versions) and of a SNAPSHOT version's folder (its timestamped builds).
 * Pure: the Edge computes the inputs from the files it holds.
 */

export const MAVEN_METADATA = 'maven-metadata.xml';
export const MAVEN_METADATA_TYPE = 'application/xml';

/** Files beside an artifact that describe it rather than being one: never counted as a version's artifacts. */
const SIDECARS = /\.(sha1|sha256|sha512|md5|asc)$/;

/** `groupPath/artifactId` of a folder path, when the path can be an artifact's folder (a group and an id). */
export function artifactFolder(folder: string): { groupId: string; artifactId: string } | undefined {
  const segments = folder.split('/').filter((s) => s !== '');
  if (segments.length < 2) return undefined;
  const artifactId = segments.pop() as string;
  return { groupId: segments.join('.'), artifactId };
}

/** Whether `name`, a file in a version folder of `artifactId`, is one of that artifact's files (a jar, a pom, …). */
export function isArtifactFile(artifactId: string, name: string): boolean {
  return name.startsWith(`${artifactId}-`) && !SIDECARS.test(name) && !name.startsWith(MAVEN_METADATA);
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const element = (name: string, text: string): string => `<${name}>${escapeXml(text)}</${name}>`;

/** `yyyyMMddHHmmss` in UTC, as `lastUpdated` is written. */
export function metadataTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export interface ArtifactVersions {
  groupId: string;
  artifactId: string;
  versions: string[];
  /** When the newest of the files counted arrived. */
  lastUpdated: number;
}

/**
 * EDGE-MVN-2, EDGE-MVN-3: versions ascending in Maven's order; `latest` the highest of all,
 * `release` the highest that is not a SNAPSHOT (absent when every version is one).
 */
export function artifactMetadataXml(artifact: ArtifactVersions): string {
  const versions = [...new Set(artifact.versions)].sort(compareMavenVersions);
  const releases = versions.filter((v) => !isSnapshotVersion(v));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<metadata>',
    `  ${element('groupId', artifact.groupId)}`,
    `  ${element('artifactId', artifact.artifactId)}`,
    '  <versioning>',
    ...(versions.length > 0 ? [`    ${element('latest', versions.at(-1) as string)}`] : []),
    ...(releases.length > 0 ? [`    ${element('release', releases.at(-1) as string)}`] : []),
    '    <versions>',
    ...versions.map((v) => `      ${element('version', v)}`),
    '    </versions>',
    `    ${element('lastUpdated', metadataTimestamp(artifact.lastUpdated))}`,
    '  </versioning>',
    '</metadata>',
    '',
  ];
  return lines.join('\n');
}

/** One timestamped build file of a SNAPSHOT: `{artifactId}-{base}-{yyyyMMdd.HHmmss}-{build}[-{classifier}].{extension}`. */
export interface SnapshotFile {
  timestamp: string;
  buildNumber: number;
  classifier?: string;
  extension: string;
  updated: number;
}

/** The build a file name of `artifactId` at SNAPSHOT `version` is, if it is a timestamped one. */
export function parseSnapshotFile(artifactId: string, version: string, name: string, updated: number): SnapshotFile | undefined {
  const base = version.slice(0, -'-SNAPSHOT'.length);
  const prefix = `${artifactId}-${base}-`;
  if (!name.startsWith(prefix) || SIDECARS.test(name)) return undefined;
  const match = /^(\d{8}\.\d{6})-(\d+)(?:-([^.]+))?\.(.+)$/.exec(name.slice(prefix.length));
  if (!match) return undefined;
  const [, timestamp, build, classifier, extension] = match as unknown as [string, string, string, string | undefined, string];
  return { timestamp, buildNumber: Number(build), ...(classifier ? { classifier } : {}), extension, updated };
}

/**
 * EDGE-MVN-4: a SNAPSHOT folder's metadata: the newest build (by timestamp, then build number)
 * in `snapshot`, and per classifier and extension the newest file's version in
 * `snapshotVersions`, which is what Maven 3 resolves `-SNAPSHOT` to.
 */
export function snapshotMetadataXml(groupId: string, artifactId: string, version: string, files: SnapshotFile[]): string {
  const newer = (a: SnapshotFile, b: SnapshotFile): boolean => a.timestamp > b.timestamp || (a.timestamp === b.timestamp && a.buildNumber > b.buildNumber);
  const newest = new Map<string, SnapshotFile>();
  let top: SnapshotFile | undefined;
  for (const file of files) {
    const key = `${file.classifier ?? ''}:${file.extension}`;
    const known = newest.get(key);
    if (!known || newer(file, known)) newest.set(key, file);
    if (!top || newer(file, top)) top = file;
  }
  const base = version.slice(0, -'-SNAPSHOT'.length);
  const value = (f: SnapshotFile): string => `${base}-${f.timestamp}-${f.buildNumber}`;
  const lastUpdated = Math.max(0, ...files.map((f) => f.updated));
  const entries = [...newest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<metadata modelVersion="1.1.0">',
    `  ${element('groupId', groupId)}`,
    `  ${element('artifactId', artifactId)}`,
    `  ${element('version', version)}`,
    '  <versioning>',
    ...(top
      ? ['    <snapshot>', `      ${element('timestamp', top.timestamp)}`, `      ${element('buildNumber', String(top.buildNumber))}`, '    </snapshot>']
      : []),
    `    ${element('lastUpdated', metadataTimestamp(lastUpdated))}`,
    '    <snapshotVersions>',
    ...entries.flatMap((f) => [
      '      <snapshotVersion>',
      ...(f.classifier ? [`        ${element('classifier', f.classifier)}`] : []),
      `        ${element('extension', f.extension)}`,
      `        ${element('value', value(f))}`,
      `        ${element('updated', metadataTimestamp(f.updated))}`,
      '      </snapshotVersion>',
    ]),
    '    </snapshotVersions>',
    '  </versioning>',
    '</metadata>',
    '',
  ];
  return lines.join('\n');
}
