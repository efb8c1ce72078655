import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ByteRange, ContentReferences, IngestLimits, StagedContent, StagingFile } from '../content.ts';
import { contentDamaged, recordedContentLimits } from '../content-damaged.ts';
import type { FileStore } from '../filestore.ts';
import { type HeldContent, ReferencedContentStore } from '../referenced-content.ts';
import { type SpooledBytes, spooledStaging } from '../spool.ts';
import { stageStream } from '../stage-stream.ts';
import { rendezvousOrder } from './rendezvous.ts';

/** One directory (mount) of the sharded filestore. */
export interface Shard {
  /** Its directory, which also ranks it (rendezvous hashing): renaming a shard moves content. */
  name: string;
  files: FileStore;
}

/** What a rebalance did (EDGE-BIN-4). */
export interface RebalanceReport {
  /** Contents examined. */
  contents: number;
  copied: { sha256: string; from: string; to: string }[];
  /** Copies on shards beyond the first `redundancy` ranked ones, removed once those hold it. */
  removed: number;
  /** Contents with no sound copy left anywhere. */
  lost: string[];
}

/**
 * EDGE-BIN-4: content spread over shards (directories, usually mounts), `redundancy` copies of
 * each on the first shards of its rendezvous order that take a write. Bytes are staged in a
 * local spool (the shards are known only once the SHA-256 is), copied to each shard's staging
 * when staging finishes, and published on every shard at once; a read takes the first copy of
 * the recorded size, so a shard that is gone or damaged costs nothing while another copy is sound.
 */
export class ShardedContentStore extends ReferencedContentStore {
  constructor(
    private readonly shards: readonly Shard[],
    private readonly redundancy: number,
    references: ContentReferences,
    private readonly spool: FileStore,
    now: () => number = Date.now,
  ) {
    super(references, now);
    if (shards.length < redundancy) throw new Error(`${shards.length} shards cannot hold ${redundancy} copies`);
  }

  async stage(source: AsyncIterable<Uint8Array>, limits: IngestLimits): Promise<StagedContent> {
    return stageStream(await this.openStaging(limits), source);
  }

  /** EDGE-SR-7: the spool is readable back while it grows; the shards get the bytes at `finish`. */
  async openStaging(limits: IngestLimits): Promise<StagingFile> {
    return spooledStaging(await this.spool.openStaging(limits), (spooled, bytes) => this.#toShards(spooled, bytes));
  }

  /** Staged on `redundancy` shards, the first of the content's order that take the write. */
  async #toShards(spooled: StagedContent, bytes: SpooledBytes): Promise<StagedContent> {
    const { sha256 } = spooled.checksums;
    const copies: StagedContent[] = [];
    const failures: string[] = [];
    for (const shard of rendezvousOrder(this.shards, sha256)) {
      if (copies.length === this.redundancy) break;
      try {
        copies.push(await copyInto(shard.files, spooled.size, sha256, bytes()));
      } catch (error) {
        failures.push(`${shard.name}: ${(error as Error).message}`);
      }
    }
    if (copies.length < this.redundancy) {
      await Promise.all(copies.map((copy) => copy.discard()));
      throw new EdgeError('INTERNAL', `Only ${copies.length} of ${this.redundancy} shards took the content (${failures.join('; ')}).`);
    }
    return {
      checksums: spooled.checksums,
      size: spooled.size,
      publish: async () => void (await Promise.all(copies.map((copy) => copy.publish()))),
      discard: async () => void (await Promise.all(copies.map((copy) => copy.discard()))),
    };
  }

  async has(sha256: string): Promise<boolean> {
    for (const shard of this.shards) if (await shard.files.has(sha256)) return true;
    return false;
  }

  read(sha256: string, size: number, range?: ByteRange): Readable {
    return Readable.from(this.#read(sha256, size, range), { objectMode: false });
  }

  async *#read(sha256: string, size: number, range: ByteRange | undefined): AsyncGenerator<Uint8Array> {
    const sound = await this.#soundCopy(sha256, size);
    if (!sound) throw contentDamaged(sha256, size, 'no shard holds a copy of that size');
    yield* sound.files.read(sha256, size, range);
  }

  /** EDGE-DUR-3: the first copy in the content's order whose size is the recorded one. */
  async #soundCopy(sha256: string, size: number): Promise<Shard | undefined> {
    for (const shard of rendezvousOrder(this.shards, sha256)) if ((await shard.files.sizeOf(sha256)) === size) return shard;
    return undefined;
  }

  protected async remove(sha256: string): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.files.remove(sha256)));
  }

  /** Each content once, aged by its newest copy. */
  protected async *held(): AsyncGenerator<HeldContent> {
    const newest = new Map<string, number>();
    for (const shard of this.shards) {
      for await (const { sha256, modifiedMs } of shard.files.held()) newest.set(sha256, Math.max(newest.get(sha256) ?? 0, modifiedMs));
    }
    for (const [sha256, modifiedMs] of newest) yield { sha256, modifiedMs };
  }

  /** Each shard's FileStore empties its own temp area when opened. */
  protected async removeStaleStaging(): Promise<void> {}

  /**
   * EDGE-BIN-4: puts a copy of each content on each of its first `redundancy` shards that lack a
   * sound one, copied from a copy whose SHA-256 checks out (so damage is not spread), then
   * removes copies held beyond those. Run while no Edge serves the store; referenced content
   * with no sound copy left is reported lost.
   */
  async rebalance(): Promise<RebalanceReport> {
    const report: RebalanceReport = { contents: 0, copied: [], removed: 0, lost: [] };
    // Referenced content no shard holds any more is lost, and said so.
    const all = await this.references.referencedContent();
    for (const shard of this.shards) for await (const sha256 of shard.files.list()) all.add(sha256);
    for (const sha256 of all) {
      report.contents++;
      const order = rendezvousOrder(this.shards, sha256);
      const targets = order.slice(0, this.redundancy);
      const sizes = await Promise.all(targets.map((shard) => shard.files.sizeOf(sha256)));
      // Every target holding a copy of one size is the common case: nothing to read.
      if (sizes.every((size) => size !== undefined && size === sizes[0])) {
        report.removed += await this.#removeExtras(sha256, order);
        continue;
      }
      const source = await verifiedCopy(sha256, order);
      if (!source) {
        report.lost.push(sha256);
        continue;
      }
      for (const [i, target] of targets.entries()) {
        if (sizes[i] === source.size) continue;
        const copy = await copyInto(target.files, source.size, sha256, source.shard.files.read(sha256, source.size));
        await target.files.remove(sha256);
        await copy.publish();
        report.copied.push({ sha256, from: source.shard.name, to: target.name });
      }
      report.removed += await this.#removeExtras(sha256, order);
    }
    return report;
  }

  async #removeExtras(sha256: string, order: readonly Shard[]): Promise<number> {
    let removed = 0;
    for (const extra of order.slice(this.redundancy)) {
      if ((await extra.files.sizeOf(sha256)) === undefined) continue;
      await extra.files.remove(sha256);
      removed++;
    }
    return removed;
  }
}

/** The first copy, in the content's order, whose bytes hash to its SHA-256 (each one read whole until then). */
async function verifiedCopy(sha256: string, order: readonly Shard[]): Promise<{ shard: Shard; size: number } | undefined> {
  for (const shard of order) {
    const size = await shard.files.sizeOf(sha256);
    if (size === undefined) continue;
    const hash = createHash('sha256');
    for await (const chunk of shard.files.read(sha256, size)) hash.update(chunk as Uint8Array);
    if (hash.digest('hex') === sha256) return { shard, size };
  }
  return undefined;
}

/** Stages `bytes` on one shard; their SHA-256 must come out as the content's. */
async function copyInto(files: FileStore, size: number, sha256: string, bytes: AsyncIterable<Uint8Array>): Promise<StagedContent> {
  const staged = await files.stage(bytes, recordedContentLimits(sha256, size));
  if (staged.checksums.sha256 !== sha256 || staged.size !== size) {
    await staged.discard();
    throw contentDamaged(sha256, size, `a copy of ${staged.size} bytes hashes to ${staged.checksums.sha256}`);
  }
  return staged;
}
