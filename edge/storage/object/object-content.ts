import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { type Checksums, MultiHash } from '../../../protocol/checksums.ts';
import { EdgeError } from '../../../protocol/errors.ts';
import type { ByteRange, ContentReferences, IngestLimits, StagedContent, StagingFile } from '../content.ts';
import { contentDamaged } from '../content-damaged.ts';
import type { FileStore } from '../filestore.ts';
import { type HeldContent, ReferencedContentStore } from '../referenced-content.ts';
import { spooledStaging } from '../spool.ts';
import { batched } from '../../batched.ts';
import { type ObjectBackend, REMOVE_BATCH } from './object-backend.ts';

const STAGING = '_staging/';
/** How long an upload in parts may run before a sweep takes it for abandoned (S3 lifecycle rules commonly say a day or more). */
export const UNFINISHED_UPLOAD_GRACE_MS = 24 * 60 * 60_000;
const CONTENT_KEY = /^([0-9a-f]{2})\/(\1[0-9a-f]{62})$/;

/**
 * EDGE-BIN-1: content in an object store under `<prefix><sha256[0:2]>/<sha256>`. Bytes are
 * streamed to a staging key while hashed, then copied server-side to their content key on
 * publish: a content key only ever holds a whole, verified object.
 */
export class ObjectContentStore extends ReferencedContentStore {
  /**
   * EDGE-BIN-8: staging keys of concurrent publications are removed together, one request per
   * batch (DeleteObjects on S3) rather than one each. Still awaited: a publication returns with
   * its staging gone, and one a crash interrupted is the sweep's (removeStaleStaging).
   */
  readonly #removeStaging = batched<string>((keys) => this.backend.removeAll(keys), REMOVE_BATCH);

  constructor(
    private readonly backend: ObjectBackend,
    references: ContentReferences,
    /** Local spool of `openStaging`, whose bytes must be readable back while they arrive (EDGE-SR-7). */
    private readonly spool: FileStore,
    now: () => number = Date.now,
  ) {
    super(references, now);
  }

  static keyOf(sha256: string): string {
    return `${sha256.slice(0, 2)}/${sha256}`;
  }

  /** EDGE-ART-2, EDGE-IN-6: hashed and bounded as the bytes go by; the object store sees each byte once. */
  async stage(source: AsyncIterable<Uint8Array>, limits: IngestLimits): Promise<StagedContent> {
    const hash = new MultiHash();
    let refusal: unknown;
    async function* bounded(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of source) {
          if (hash.size + chunk.length > limits.maxBytes) throw limits.tooLarge(limits.maxBytes);
          hash.update(chunk);
          yield chunk;
        }
      } catch (error) {
        refusal = error;
        throw error;
      }
    }
    const key = stagingKey();
    try {
      await this.backend.put(key, Readable.from(bounded(), { objectMode: false }));
    } catch (error) {
      await this.backend.remove(key).catch(() => undefined);
      throw refusal ?? error;
    }
    return this.#staged(key, hash.digests(), hash.size);
  }

  /** EDGE-BIN-2: spooled locally for read-back (EDGE-SR-7), uploaded to a staging key at `finish`. */
  async openStaging(limits: IngestLimits): Promise<StagingFile> {
    return spooledStaging(await this.spool.openStaging(limits), async (spooled, bytes) => {
      const key = stagingKey();
      try {
        await this.backend.put(key, Readable.from(bytes(), { objectMode: false }));
        return await this.#staged(key, spooled.checksums, spooled.size);
      } catch (error) {
        await this.backend.remove(key).catch(() => undefined);
        throw error;
      }
    });
  }

  /** Verified against what the store says it holds before anything can publish it. */
  async #staged(key: string, checksums: Checksums, size: number): Promise<StagedContent> {
    const stored = await this.backend.size(key);
    if (stored !== size) {
      await this.backend.remove(key).catch(() => undefined);
      throw new EdgeError('CONTENT_DAMAGED', `The object store kept ${stored ?? 'no'} bytes of ${size} staged at ${this.backend.where}.`);
    }
    let settled = false;
    const settle = async (publish: boolean) => {
      if (settled) return;
      settled = true;
      // Copied even over identical content already held (a copy is atomic, readers see either
      // whole object): the new LastModified keeps a sweep in another process from taking content
      // this one is about to record (EDGE-CLU-3).
      // A copy that failed left nothing at the content key (EDGE-BIN-7); its staging goes too.
      try {
        if (publish) await this.backend.copy(key, ObjectContentStore.keyOf(checksums.sha256), size);
      } finally {
        await this.#removeStaging(key);
      }
    };
    return { checksums, size, publish: () => settle(true), discard: () => settle(false) };
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.backend.size(ObjectContentStore.keyOf(sha256))) !== undefined;
  }

  read(sha256: string, size: number, range?: ByteRange): Readable {
    return Readable.from(this.#exactBytes(sha256, size, range), { objectMode: false });
  }

  /** EDGE-DUR-3: the object's size as the store reports it (one request: the GET) must be the recorded one. */
  async *#exactBytes(sha256: string, size: number, range: ByteRange | undefined): AsyncGenerator<Uint8Array> {
    const damaged = (found: string) => contentDamaged(sha256, size, found);
    const object = await this.backend.get(ObjectContentStore.keyOf(sha256), range);
    if (!object) throw damaged('it is missing');
    if (object.total !== size) throw damaged(`${object.total} bytes are stored`);
    const expected = range ? range.end - range.start + 1 : size;
    let received = 0;
    for await (const chunk of object.body) {
      received += chunk.length;
      if (received > expected) throw damaged('more bytes came than asked');
      yield chunk;
    }
    if (received < expected) throw damaged(`the bytes end at ${received}`);
  }

  protected remove(sha256: string): Promise<void> {
    return this.backend.remove(ObjectContentStore.keyOf(sha256));
  }

  protected async *held(): AsyncGenerator<HeldContent> {
    for await (const object of this.backend.list('')) {
      const match = CONTENT_KEY.exec(object.key);
      if (match?.[2]) yield { sha256: match[2], modifiedMs: object.modifiedMs };
    }
  }

  protected async removeStaleStaging(cutoffMs: number): Promise<void> {
    for await (const object of this.backend.list(STAGING)) if (object.modifiedMs <= cutoffMs) await this.backend.remove(object.key);
    // EDGE-BIN-7: not by the sweep's grace: an upload or a copy of a large object, in this process
    // or another, may well run longer than ten minutes; one left for a day was given up.
    await this.backend.abortStaleUploads(Math.min(cutoffMs, this.now() - UNFINISHED_UPLOAD_GRACE_MS));
  }
}

function stagingKey(): string {
  return `${STAGING}${Date.now()}-${randomBytes(8).toString('hex')}`;
}
