import type { Readable } from 'node:stream';
import type { ByteRange, ContentStore } from '../storage/content.ts';
import type { ItemRecord, MetadataStore, RepoRecord } from '../storage/metadata.ts';
import type { AccessControl } from '../trust/access.ts';
import type { Principal } from '../trust/principal.ts';
import { notFound, type ArtifactService } from './artifacts.ts';
import type { RemoteReads } from './remote/remote-reads.ts';
import type { RepositoryReads, Resolved } from './resolution.ts';
import { VirtualReads, type VirtualMember } from './virtual/reads.ts';

/**
 * The one dispatcher of reads by repository class: local repositories read through
 * `ArtifactService`, smart remotes through `RemoteReads` (cache, then upstream), virtual ones through their members (which come back here, so a member of
 * any class reads as it would on its own).
 */
export class EdgeReads implements RepositoryReads {
  readonly #virtual: VirtualReads;

  constructor(
    private readonly metadata: MetadataStore,
    private readonly artifacts: ArtifactService,
    private readonly content: ContentStore,
    access: AccessControl,
    private readonly remote: RemoteReads,
  ) {
    this.#virtual = new VirtualReads(this, metadata.repos, access);
  }

  async resolve(principal: Principal, address: { repo: string; path: string }): Promise<Resolved> {
    const repo = await this.metadata.repos.get(address.repo);
    if (repo?.rclass === 'virtual') return this.#virtual.resolve(principal, repo, address.path);
    if (repo?.rclass === 'remote') return this.remote.resolve(principal, repo, address.path);
    return this.artifacts.resolve(principal, address);
  }

  children(principal: Principal, resolved: Resolved): Promise<ItemRecord[]> {
    if (resolved.repo.rclass === 'virtual') return this.#virtual.children(principal, resolved);
    if (resolved.repo.rclass === 'remote') return this.remote.children(principal, resolved);
    return this.artifacts.children(principal, resolved);
  }

  list(principal: Principal, resolved: Resolved, depth: number): Promise<ItemRecord[]> {
    if (resolved.repo.rclass === 'virtual') return this.#virtual.list(principal, resolved, depth);
    if (resolved.repo.rclass === 'remote') return this.remote.list(principal, resolved, depth);
    return this.artifacts.list(principal, resolved, depth);
  }

  async open(principal: Principal, resolved: Resolved, range?: ByteRange): Promise<Readable> {
    if (resolved.member) return this.open(principal, resolved.member, range);
    if (resolved.repo.rclass === 'remote') return this.remote.open(principal, resolved, range);
    const { item } = resolved;
    if (!item?.checksums || item.folder) throw notFound(resolved.repo.key, resolved.path);
    return this.content.read(item.checksums.sha256, item.size, range);
  }

  /** A virtual's repositories that hold items, in resolution order (EDGE-VR-2), each with the virtuals it is reached through. */
  members(virtual: RepoRecord): Promise<VirtualMember[]> {
    return this.#virtual.members(virtual);
  }

  /** EDGE-SR-15: a smart remote's cached file, as the upstream says it is now (through a virtual: in its member). */
  async refresh(resolved: Resolved): Promise<Resolved> {
    if (resolved.member) return { ...resolved, member: await this.refresh(resolved.member) };
    return resolved.repo.rclass === 'remote' ? this.remote.refresh(resolved) : resolved;
  }
}
