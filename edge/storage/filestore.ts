import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Checksums } from '../../protocol/checksums.ts';
import type { EdgeError } from '../../protocol/errors.ts';
import type { ByteRange, IngestLimits, StagedContent, StagingFile } from './content.ts';
import { coalescedSync } from './coalesced-sync.ts';
import { contentDamaged } from './content-damaged.ts';
import { nodeDisk, type Disk } from './disk.ts';
import { stageStream } from './stage-stream.ts';
import { SplitDigests } from './split-digests.ts';
import { WriteBehind } from './write-behind.ts';

/** A blob on disk (a HeldContent of the content stores, with its size). */
export interface HeldBlob {
  sha256: string;
  size: number;
  modifiedMs: number;
}

/**
 * Content-addressed binary store: `<root>/ab/cd/<sha256>`. Bytes are streamed into a temp
 * file while all three checksums are computed, fsynced, then renamed into place, so a crash
 * leaves either nothing or a complete blob, and identical content is stored once.
 *
 * EDGE-DUR-1: `publish` returns only when the blob survives a power cut: its bytes, its entry in
 * the shard folder, and the entry of every folder on the way up to the data directory are
 * synced. The metadata row that makes the blob visible is written after that (ContentStore).
 */
export class FileStore {
  readonly #root: string;
  readonly #tmp: string;
  readonly #disk: Disk;
  /** Folders whose entry in their parent this process has synced (or is syncing). */
  readonly #durableDirs = new Map<string, Promise<void>>();
  /** EDGE-DUR-4: concurrent publishes share their folders' fsyncs. */
  readonly #syncDir: (dir: string) => Promise<void>;

  constructor(root: string, disk: Disk = nodeDisk) {
    this.#root = root;
    this.#tmp = join(root, '_tmp');
    this.#disk = disk;
    this.#syncDir = coalescedSync((dir) => disk.syncDir(dir));
  }

  async init(): Promise<void> {
    // A crash can leave temp files of uploads that never finished; none of them is referenced.
    await this.#disk.removeTree(this.#tmp);
    await this.#durableDir(this.#root);
    // Not synced: whatever a power cut does to the temp area, the next start empties it.
    await this.#disk.mkdir(this.#tmp);
  }

  /**
   * EDGE-DUR-1: `dir` exists and its entry, and its ancestors' entries up to the data directory
   * (the operator's, taken as durable), are on stable storage. A folder found already there is
   * synced too, once per process: it may be one a crash left in the page cache only.
   */
  #durableDir(dir: string): Promise<void> {
    // Shared while it runs: a publish waits for the preparation its staging started.
    let durable = this.#durableDirs.get(dir);
    if (!durable) {
      durable = this.#makeDurableDir(dir);
      this.#durableDirs.set(dir, durable);
      const mine = durable;
      mine.catch(() => {
        if (this.#durableDirs.get(dir) === mine) this.#durableDirs.delete(dir);
      });
    }
    return durable;
  }

  async #makeDurableDir(dir: string): Promise<void> {
    const parent = dirname(dir);
    if (dir !== this.#root) await this.#durableDir(parent);
    await this.#disk.mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await this.#syncDir(parent);
  }

  pathOf(sha256: string): string {
    return join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.sizeOf(sha256)) !== undefined;
  }

  /** The blob's size on disk, which a damaged disk may have changed; undefined when it is not there. */
  async sizeOf(sha256: string): Promise<number | undefined> {
    const found = await stat(this.pathOf(sha256)).catch(() => undefined);
    return found?.isFile() ? found.size : undefined;
  }

  /** EDGE-DUR-3: see ContentStore.read; the stream fails when the blob is not `size` bytes long. */
  read(sha256: string, size: number, range: ByteRange = { start: 0, end: size - 1 }): Readable {
    return Readable.from(exactBytes(this.pathOf(sha256), size, range), { objectMode: false });
  }

  /**
   * EDGE-ART-2: streams `source` to a temp file, hashing as it goes; nothing is read twice. On any failure
   * (limit passed, client gone, disk error) the temp file is removed before the error surfaces.
   */
  async stage(source: AsyncIterable<Uint8Array>, limits: IngestLimits): Promise<StagedContent> {
    return stageStream(await this.openStaging(limits), source);
  }

  /** EDGE-SR-7: a temp file fed chunk by chunk, hashed as it grows, readable back meanwhile. */
  async openStaging(limits: IngestLimits): Promise<StagingFile> {
    // EDGE-DUR-4: the blob's shard folder made durable while the bytes stream, not after them:
    // one fsync fewer on each file's way to its answer. A failure here is publish's to meet.
    if (limits.expectedSha256 && SHA256.test(limits.expectedSha256)) this.#durableDir(dirname(this.pathOf(limits.expectedSha256))).catch(() => undefined);
    const temp = join(this.#tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const file = await this.#disk.createFile(temp);
    // Issue #13: writes of about a MiB, hashed while the previous one is on its way to the disk.
    const writer = new WriteBehind(file);
    // Issue #13: MD5 and SHA-1 on the digest thread once the bytes pass a MiB, SHA-256 here.
    const hash = new SplitDigests();
    // Opened at once, so the bytes stay readable through the descriptor after a discard or publish.
    let reader: Promise<FileHandle> | undefined = open(temp, 'r');
    reader.catch(() => undefined);
    let state: 'open' | 'finished' | 'gone' = 'open';
    const staged = (checksums: Checksums, size: number): StagedContent => {
      let settled = false;
      return {
        checksums,
        size,
        publish: async () => {
          if (settled) return;
          settled = true;
          await this.#publish(temp, checksums.sha256);
        },
        discard: async () => {
          if (settled) return;
          settled = true;
          await this.#disk.unlink(temp).catch(() => undefined);
        },
      };
    };
    return {
      get written() {
        return hash.size;
      },
      write: async (chunk) => {
        if (hash.size + chunk.length > limits.maxBytes) throw limits.tooLarge(limits.maxBytes);
        hash.update(chunk);
        await hash.caughtUp();
        await writer.append(chunk);
      },
      readBack: async (position, length) => {
        if (!reader) throw new Error('staging reader closed');
        const wanted = Math.min(length, hash.size - position);
        // Bytes past those written to the file are still in memory, on their way.
        if (position >= writer.onDisk) return writer.held(position, wanted);
        const buffer = Buffer.allocUnsafe(Math.min(wanted, writer.onDisk - position));
        const { bytesRead } = await (await reader).read(buffer, 0, buffer.length, position);
        return buffer.subarray(0, bytesRead);
      },
      finish: async () => {
        if (state !== 'open') throw new Error('staging already finished');
        state = 'finished';
        // The digest thread finishes its last blocks while the bytes are synced.
        const digests = hash.digests();
        digests.catch(() => undefined);
        // EDP-FILE-7, EDGE-DUR-1: acknowledged bytes are on stable storage.
        try {
          await writer.drain();
          await file.sync();
        } finally {
          await writer.settle();
          await file.close();
        }
        return staged(await digests, hash.size);
      },
      abort: async () => {
        if (state === 'gone') return;
        hash.dispose();
        if (state === 'open') {
          // A write still in flight would otherwise meet a closed, perhaps reused, descriptor.
          await writer.settle();
          await file.close().catch(() => undefined);
        }
        state = 'gone';
        await this.#disk.unlink(temp).catch(() => undefined);
      },
      closeReader: async () => {
        const opened = reader;
        reader = undefined;
        if (opened) await (await opened.catch(() => undefined))?.close();
      },
    };
  }

  async #publish(temp: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    // A blob at its place is durable: it was synced before its publish returned (below).
    if (await this.has(sha256)) {
      await this.#disk.unlink(temp);
      return;
    }
    const shard = dirname(target);
    await this.#durableDir(shard);
    await this.#disk.rename(temp, target);
    try {
      // EDGE-DUR-1: the blob's entry in its shard folder.
      await this.#syncDir(shard);
    } catch (error) {
      // EDGE-DUR-2: a blob whose entry may not be durable must not stay where the next
      // publish or deploy by checksum would take it for durable.
      await this.#disk.unlink(target).catch(() => undefined);
      throw error;
    }
  }

  /** Not synced: a blob that comes back after a power cut is unreferenced, and swept at start. */
  async remove(sha256: string): Promise<void> {
    await this.#disk.removeTree(this.pathOf(sha256));
  }

  /** Every blob held on disk, with its size and when its bytes were last written; one removed meanwhile is passed over. */
  async *held(): AsyncGenerator<HeldBlob> {
    for await (const sha256 of this.list()) {
      const found = await stat(this.pathOf(sha256)).catch(() => undefined);
      if (found?.isFile()) yield { sha256, size: found.size, modifiedMs: found.mtimeMs };
    }
  }

  /** Every SHA-256 held on disk. */
  async *list(): AsyncGenerator<string> {
    for (const a of await safeReaddir(this.#root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await safeReaddir(join(this.#root, a))) {
        for (const name of await safeReaddir(join(this.#root, a, b))) {
          if (SHA256.test(name)) yield name;
        }
      }
    }
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Bytes per read of a large blob: fewer trips to the thread pool per MiB sent. */
const READ_CHUNK = 256 * 1024;

/*
 * The callback file API, not FileHandle: a FileHandle's open, stat, read and close cost two to
 * three times theirs (measured on small GETs, where they were a quarter of the CPU).
 */
const openFd = promisify(fs.open);
const fstatFd = promisify(fs.fstat);
const readFd = promisify(fs.read);
const closeFd = promisify(fs.close);

/**
 * EDGE-DUR-3: a blob shorter or longer than its recorded size (a damaged disk, a power cut the
 * filestore did not survive) fails the read, before the first byte when it can be told by its
 * size and as soon as its bytes run out otherwise: the answer's Content-Length came from the
 * metadata, and a body that ends early would leave the client waiting for the rest.
 */
async function* exactBytes(path: string, size: number, range: ByteRange): AsyncGenerator<Buffer> {
  const damaged = (found: string) => contentDamaged(path.slice(-64), size, found);
  if (range.start === 0 && range.end === size - 1 && size < READ_CHUNK) {
    yield smallBlob(path, size, damaged);
    return;
  }
  const fd = await openFd(path, 'r');
  try {
    const { size: actual } = await fstatFd(fd);
    if (actual !== size) throw damaged(`${actual} bytes are stored`);
    for (let position = range.start; position <= range.end; ) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, range.end + 1 - position));
      const { bytesRead } = await readFd(fd, chunk, 0, chunk.length, position);
      if (bytesRead === 0) throw damaged(`the bytes end at ${position}`);
      position += bytesRead;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    await closeFd(fd);
  }
}

/**
 * A blob smaller than one read, read whole in three calls on this thread, as nginx does: each
 * trip through the thread pool cost more than the call itself (open and close alone were a
 * fifth of a 4 KiB GET's CPU). One read of a byte more than recorded tells a wrong size as a
 * stat would.
 */
function smallBlob(path: string, size: number, damaged: (found: string) => EdgeError): Buffer {
  const fd = fs.openSync(path, 'r');
  try {
    const whole = Buffer.allocUnsafe(size + 1);
    const bytesRead = fs.readSync(fd, whole, 0, size + 1, 0);
    if (bytesRead > size) throw damaged('more bytes are stored');
    if (bytesRead < size) throw damaged(`${bytesRead} bytes are stored`);
    return whole.subarray(0, size);
  } finally {
    fs.closeSync(fd);
  }
}

async function safeReaddir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
