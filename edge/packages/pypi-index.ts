import { nameOf } from '../../protocol/paths.ts';
import { normalizeProjectName, parseDistributionName } from '../../protocol/wire/pypi-simple.ts';
import type { RepoRecord } from '../storage/metadata.ts';
import type { Principal } from '../trust/principal.ts';
import type { RepoFiles, StoredFile } from './repo-files.ts';

/** A project of the simple index: its name as first written, and its files. */
export interface PypiProject {
  name: string;
  files: StoredFile[];
}

/**
 * EDGE-PKG-6: the simple index of a PyPI repository, computed from the wheels and sdists it
 * holds that the caller may read, keyed by normalized project name. File names say project and
 * version (PEP 427, PEP 625), which is what pip matches links against, so no archive is opened;
 * a smart remote's or a virtual's files are listed as its `RepoFiles` lists them (EDGE-PKG-9).
 */
export class PypiIndex {
  constructor(private readonly files: RepoFiles) {}

  async projects(principal: Principal, repo: RepoRecord): Promise<Map<string, PypiProject>> {
    const projects = new Map<string, PypiProject>();
    for (const file of await this.files.readable(principal, repo, (path) => parseDistributionName(nameOf(path)) !== undefined)) {
      const { project } = parseDistributionName(nameOf(file.path)) as NonNullable<ReturnType<typeof parseDistributionName>>;
      const key = normalizeProjectName(project);
      const entry = projects.get(key) ?? { name: project, files: [] };
      // EDGE-PKG-10: pip tells files apart by name; the first in resolution order is the one linked.
      if (entry.files.some((known) => nameOf(known.path) === nameOf(file.path))) continue;
      entry.files.push(file);
      projects.set(key, entry);
    }
    for (const entry of projects.values()) entry.files.sort((a, b) => (nameOf(a.path) < nameOf(b.path) ? -1 : 1));
    return new Map([...projects].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}
