import { nameOf, parentOf } from '../../protocol/paths.ts';
import {
  artifactFolder,
  artifactMetadataXml,
  isArtifactFile,
  parseSnapshotFile,
  snapshotMetadataXml,
  type SnapshotFile,
} from '../../protocol/wire/maven-metadata.ts';
import type { RepoRecord } from '../storage/metadata.ts';
import type { Principal } from '../trust/principal.ts';
import type { RepoFiles } from './repo-files.ts';

/** A computed metadata document, and when the newest file it describes arrived (its Last-Modified). */
export interface MavenMetadata {
  xml: string;
  updated: number;
}

/**
 * EDGE-MVN-2, EDGE-MVN-4: the `maven-metadata.xml` of a folder of a Maven repository, computed
 * from the files below it the caller may read (EDGE-PKG-2), at each request, through `RepoFiles`
 * (so a smart remote's and a virtual's members count as soon as that seam lists them). A release
 * bundle carries files, not the source's metadata, and a metadata file it did carry would list
 * versions this Edge may not hold: so what is computed is what is served.
 */
export class MavenIndex {
  constructor(private readonly files: RepoFiles) {}

  /**
   * The metadata of `folder`: of an artifact (`groupPath/artifactId`) when it holds version
   * folders with that artifact's files; of a SNAPSHOT version when it holds timestamped builds;
   * undefined otherwise (a stored file of that name, e.g. a group's plugin prefixes, is then served as is).
   */
  async metadata(principal: Principal, repo: RepoRecord, folder: string): Promise<MavenMetadata | undefined> {
    const prefix = `${folder}/`;
    const below = await this.files.readable(principal, repo, (path) => path.startsWith(prefix) && path.slice(prefix.length).split('/').length <= 2);
    const artifact = artifactFolder(folder);
    const owner = artifactFolder(parentOf(folder));
    const version = nameOf(folder);
    if (owner && version.endsWith('-SNAPSHOT')) {
      const builds = below
        .filter((f) => parentOf(f.path) === folder)
        .map((f) => parseSnapshotFile(owner.artifactId, version, nameOf(f.path), f.updated))
        .filter((b): b is SnapshotFile => b !== undefined);
      if (builds.length > 0)
        return { xml: snapshotMetadataXml(owner.groupId, owner.artifactId, version, builds), updated: Math.max(...builds.map((b) => b.updated)) };
    }
    if (!artifact) return undefined;
    const counted = below.filter((f) => parentOf(parentOf(f.path)) === folder && isArtifactFile(artifact.artifactId, nameOf(f.path)));
    if (counted.length === 0) return undefined;
    const updated = Math.max(...counted.map((f) => f.updated));
    return { xml: artifactMetadataXml({ ...artifact, versions: counted.map((f) => nameOf(parentOf(f.path))), lastUpdated: updated }), updated };
  }
}
