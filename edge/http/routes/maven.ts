import { checksumsOf } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import { nameOf, parentOf } from '../../../protocol/paths.ts';
import { checksumFileTarget } from '../../../protocol/wire/checksum-headers.ts';
import { MAVEN_METADATA, MAVEN_METADATA_TYPE } from '../../../protocol/wire/maven-metadata.ts';
import type { MavenIndex } from '../../packages/maven-index.ts';
import type { RepoFiles } from '../../packages/repo-files.ts';
import type { ComputedFile } from './artifacts.ts';

/**
 * EDGE-MVN-2: Maven clients read `/artifactory/{repo}/…` (no `api/`), so a Maven repository's
 * `…/maven-metadata.xml`, and its `.sha1`, `.md5` and `.sha256` (EDGE-MVN-5: computed from the
 * same bytes, so a client's checksum check of the metadata passes), are computed there; every
 * other path is the stored file, its checksum files answered from the stored checksums
 * (EDGE-ART-8). Served as a file is (EDGE-ART-5): HEAD, ETag, Range and `X-Checksum-*` headers.
 * EDGE-MVN-8: with these, the files and the 401 challenge, `mvn` resolves ranges and releases.
 */
export function mavenMetadataFiles(files: RepoFiles, index: MavenIndex): ComputedFile {
  return async (request, address) => {
    const checksum = checksumFileTarget(address.path);
    const documentPath = checksum?.path ?? address.path;
    if (nameOf(documentPath) !== MAVEN_METADATA) return undefined;
    const repo = await files.repo(request.principal, address.repo, 'maven').catch((error: unknown) => {
      if (error instanceof EdgeError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    });
    if (!repo) return undefined;
    const metadata = await index.metadata(request.principal, repo, parentOf(documentPath));
    if (!metadata) return undefined;
    const document = Buffer.from(metadata.xml);
    const bytes = checksum ? Buffer.from(checksumsOf(document)[checksum.algorithm]) : document;
    const item = {
      repo: repo.key,
      path: address.path,
      folder: false,
      size: bytes.length,
      checksums: checksumsOf(bytes),
      mimeType: checksum ? 'text/plain' : MAVEN_METADATA_TYPE,
      created: metadata.updated,
      createdBy: 'edge',
      modified: metadata.updated,
      modifiedBy: 'edge',
      updated: metadata.updated,
    };
    return { item, bytes };
  };
}
