import type { BundleFile } from '../../kit/bundles.ts';

/** Maven coordinates, and the artifacts a POM depends on. */
export interface Coordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

/** A minimal POM for `coords` (packaging jar) declaring `dependencies`. */
export function pomXml(coords: Coordinates, dependencies: Coordinates[] = []): string {
  const deps = dependencies.map(
    (d) => `    <dependency><groupId>${d.groupId}</groupId><artifactId>${d.artifactId}</artifactId><version>${d.version}</version></dependency>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    `  <groupId>${coords.groupId}</groupId>`,
    `  <artifactId>${coords.artifactId}</artifactId>`,
    `  <version>${coords.version}</version>`,
    '  <packaging>jar</packaging>',
    ...(deps.length > 0 ? ['  <dependencies>', ...deps, '  </dependencies>'] : []),
    '</project>',
    '',
  ].join('\n');
}

/** `groupPath/artifactId/version/` of the plain layout. */
export function versionFolder(coords: Coordinates): string {
  return `${coords.groupId.replace(/\./g, '/')}/${coords.artifactId}/${coords.version}`;
}

/** The artifact folder of `coords`: where its `maven-metadata.xml` is. */
export function artifactPath(coords: Pick<Coordinates, 'groupId' | 'artifactId'>): string {
  return `${coords.groupId.replace(/\./g, '/')}/${coords.artifactId}`;
}

/**
 * The POM and jar of `coords` in `repo`, as a bundle carries them (no checksum files: the Edge
 * answers those itself). `file` names a build file differently, e.g. a SNAPSHOT's timestamped
 * `{artifactId}-1.0-20260101.120000-1`.
 */
export function mavenFiles(repo: string, coords: Coordinates, jar: Buffer, options: { dependencies?: Coordinates[]; file?: string } = {}): BundleFile[] {
  const stem = `${versionFolder(coords)}/${options.file ?? `${coords.artifactId}-${coords.version}`}`;
  return [
    { repoPath: `${repo}/${stem}.pom`, bytes: Buffer.from(pomXml(coords, options.dependencies)) },
    { repoPath: `${repo}/${stem}.jar`, bytes: jar },
  ];
}

/** The versions, `latest` and `release` a `maven-metadata.xml` states. */
export function metadataVersions(xml: string): { versions: string[]; latest?: string; release?: string } {
  const text = (name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  const versions = [...xml.matchAll(/<version>([^<]*)<\/version>/g)].map((m) => m[1] as string);
  const latest = text('latest');
  const release = text('release');
  return { versions, ...(latest ? { latest } : {}), ...(release ? { release } : {}) };
}
