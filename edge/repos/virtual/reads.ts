import { EdgeError } from '../../../protocol/errors.ts';
import type { ItemRecord, RepoRecord, RepoStore } from '../../storage/metadata.ts';
import type { AccessControl } from '../../trust/access.ts';
import type { Principal } from '../../trust/principal.ts';
import { notFound } from '../artifacts.ts';
import type { RepositoryReads, Resolved } from '../resolution.ts';
import { membersOf } from './config.ts';
import { mayShow, shows } from './patterns.ts';

/** A repository that holds items, reached through `chain` (the virtuals from the top one down). */
export interface VirtualMember {
  repo: RepoRecord;
  chain: readonly RepoRecord[];
}

const byPath = (a: ItemRecord, b: ItemRecord): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
const foldersFirst = (a: ItemRecord, b: ItemRecord): number => Number(b.folder) - Number(a.folder) || byPath(a, b);

/**
 * Reads through a virtual repository. Every member is read through the dispatcher (`reads`),
 * as the caller, so a member reads exactly as it would if addressed directly: what the caller
 * may not read there is absent here too (EDGE-VR-6), and a remote member fetches as it would.
 */
export class VirtualReads {
  constructor(
    private readonly reads: RepositoryReads,
    private readonly repos: RepoStore,
    private readonly access: AccessControl,
  ) {}

  /** EDGE-VR-2, EDGE-VR-3, EDGE-VR-6: the first member, in resolution order, that shows the path to the caller. */
  async resolve(principal: Principal, virtual: RepoRecord, path: string): Promise<Resolved> {
    this.access.requireUser(principal);
    const members = await this.members(virtual);
    if (path === '') {
      // The root is there for whoever may read the virtual itself or any member's root.
      if (await this.access.can(principal, 'read', virtual, '')) return { repo: virtual, item: undefined, path };
      for (const member of members) if (await this.#inMember(principal, member, '')) return { repo: virtual, item: undefined, path };
      throw notFound(virtual.key, path);
    }
    for (const member of members) {
      const found = await this.#inMember(principal, member, path);
      if (found) return { repo: virtual, item: found.item, path, member: found };
    }
    throw notFound(virtual.key, path);
  }

  /** EDGE-VR-4: the members' children of the folder, each name once, the first member in resolution order winning. */
  async children(principal: Principal, resolved: Resolved): Promise<ItemRecord[]> {
    return (await this.#merged(principal, resolved, (folder) => this.reads.children(principal, folder))).sort(foldersFirst);
  }

  /** EDGE-VR-4: as `children`, down to `depth` levels. */
  async list(principal: Principal, resolved: Resolved, depth: number): Promise<ItemRecord[]> {
    return (await this.#merged(principal, resolved, (folder) => this.reads.list(principal, folder, depth))).sort(byPath);
  }

  /**
   * EDGE-VR-2: the repositories that hold items, in resolution order: local ones first, then
   * remote ones, each in list order, nested virtuals expanded in place. A member that no longer
   * exists is skipped; each repository counts once, so even a stored loop ends.
   */
  async members(virtual: RepoRecord): Promise<VirtualMember[]> {
    const found: VirtualMember[] = [];
    const visited = new Set([virtual.key]);
    const expand = async (repo: RepoRecord, chain: readonly RepoRecord[]): Promise<void> => {
      for (const key of membersOf(repo)) {
        if (visited.has(key)) continue;
        visited.add(key);
        const member = await this.repos.get(key);
        if (member?.rclass === 'virtual') await expand(member, [...chain, member]);
        else if (member) found.push({ repo: member, chain });
      }
    };
    await expand(virtual, [virtual]);
    return [...found.filter((m) => m.repo.rclass === 'local'), ...found.filter((m) => m.repo.rclass !== 'local')];
  }

  /** The path in one member as the caller may see it through the virtuals on the way, or nothing. */
  async #inMember(principal: Principal, member: VirtualMember, path: string): Promise<Resolved | undefined> {
    // EDGE-VR-3: an excluded path is not asked of any member.
    if (!mayShow(member.chain, path)) return undefined;
    try {
      const resolved = await this.reads.resolve(principal, { repo: member.repo.key, path });
      return resolved.item && !shows(member.chain, resolved.item) ? undefined : resolved;
    } catch (error) {
      if (error instanceof EdgeError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  async #merged(principal: Principal, { repo, path }: Resolved, read: (folder: Resolved) => Promise<ItemRecord[]>): Promise<ItemRecord[]> {
    const merged = new Map<string, ItemRecord>();
    for (const member of await this.members(repo)) {
      const folder = await this.#inMember(principal, member, path);
      if (!folder || (folder.item && !folder.item.folder)) continue;
      for (const item of await read(folder)) {
        if (!merged.has(item.path) && shows(member.chain, item)) merged.set(item.path, item);
      }
    }
    return [...merged.values()];
  }
}
