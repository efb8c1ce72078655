import { text } from 'node:stream/consumers';
import { EdgeError } from '../../protocol/errors.ts';
import { pomPathMismatch, readPom } from '../../protocol/wire/maven-pom.ts';
import type { TxFile } from '../storage/bundles.ts';
import type { ContentStore } from '../storage/content.ts';
import type { RepoRecord } from '../storage/metadata.ts';

/** Far above any real POM: a larger `.pom` is refused unread rather than held in memory. */
const MAX_POM_BYTES = 4 * 1024 * 1024;

/**
 * EDGE-MVN-7: a `.pom` a bundle brings into a Maven repository must be a POM of the artifact its
 * path names, or Maven would resolve one artifact and read another's dependencies (and the
 * computed metadata would list a version no POM describes): Artifactory's POM consistency check,
 * which refuses such a deploy unless the repository sets `suppressPomConsistencyChecks`. Refused
 * at commit, naming the file, so nothing of the bundle is published.
 */
export async function checkMavenPom(repo: RepoRecord, file: TxFile, content: ContentStore): Promise<void> {
  // Artifactory's own switch for its POM consistency check (off by default), honoured as such.
  if (repo.config.suppressPomConsistencyChecks === true) return;
  const refuse = (why: string) => new EdgeError('EDP_PACKAGE_INVALID', `${file.repoPath} is not a valid Maven POM: ${why}.`, { repo_path: file.repoPath });
  if (file.size > MAX_POM_BYTES) throw refuse(`it is larger than ${MAX_POM_BYTES} bytes`);
  const read = readPom(await text(content.read(file.sha256, file.size)));
  if ('invalid' in read) throw refuse(read.invalid);
  const mismatch = pomPathMismatch(file.path, read.coordinates);
  if (mismatch) throw refuse(mismatch);
}

export const isPom = (path: string): boolean => path.endsWith('.pom');
