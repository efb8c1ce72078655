import { mkdir, open, readdir, readFile, rename, rm, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { appendAll, type Disk, type WritableFile } from '../edge/index.ts';

/**
 * A simulated power cut for the filestore. SIGKILL keeps the kernel's page cache, so a missing
 * fsync never shows in a kill test; here every write goes to the real disk (the Edge works as
 * usual) while a model records what an fsync would have made durable (the fsyncs themselves are
 * modelled, not performed), POSIX-strictly:
 *   - a file's bytes are durable as of its last `sync` (never synced: empty);
 *   - a directory's entries (create, mkdir, rename in or out, unlink) are durable as of its last
 *     `syncDir`; a new directory starts with none.
 * `restoreDurableState` then rewrites the filestore to exactly the durable state, as the disk
 * would look after the power came back. Only the filestore is modelled: the data directory
 * itself is the operator's and taken as durable, and SQLite (WAL, synchronous=FULL) is durable
 * at each commit — the power switch stops its writes through the store's write hook.
 */

interface Entry {
  kind: 'file' | 'dir';
  id: number;
}

export class PowerLost extends Error {
  readonly code = 'EIO';
}

/** A disk error while the power stays on. */
export class DiskError extends Error {
  readonly code = 'EIO';
}

/**
 * Counts the points where power can fail — every filestore write and every metadata write —
 * once armed, and cuts the power before the point given: that operation and every later one
 * fails, so nothing after the cut reaches the disk or the database.
 */
export class PowerSwitch {
  #armed = false;
  #cutAt = Number.POSITIVE_INFINITY;
  #cutBy: string | undefined;
  #off = false;
  readonly #failures: ((op: string) => boolean)[] = [];
  /** The operations that ran while armed, in order. */
  readonly log: string[] = [];

  /** The next operation `which` accepts fails with EIO, once, as a flaky disk would; the power stays on. */
  failOnce(which: (op: string) => boolean): void {
    this.#failures.push(which);
  }

  /** Counts from here on; `cutAt` 1 cuts before the first operation. */
  arm(cutAt = Number.POSITIVE_INFINITY): void {
    this.#armed = true;
    this.#cutAt = cutAt;
  }

  /** Cuts now, if the power is still on. */
  cut(): void {
    this.#off = true;
  }

  get off(): boolean {
    return this.#off;
  }

  /** The operation the cut stopped, if the cut fell on one. */
  get cutBy(): string | undefined {
    return this.#cutBy;
  }

  readonly step = (what: string): void => {
    if (!this.#off && this.#armed && this.log.length + 1 >= this.#cutAt) {
      this.#off = true;
      this.#cutBy = what;
    }
    if (this.#off) throw new PowerLost(`power is off: ${what}`);
    const failure = this.#failures.findIndex((which) => which(what));
    if (failure >= 0) {
      this.#failures.splice(failure, 1);
      throw new DiskError(`disk error: ${what}`);
    }
    if (this.#armed) this.log.push(what);
  };
}

export class PowerLossDisk implements Disk {
  readonly #anchor: string;
  readonly #power: PowerSwitch;
  #nextId = 1;
  /** Directory id → entries as they are now; 0 is the anchor (the filestore's parent). */
  readonly #live = new Map<number, Map<string, Entry>>();
  /** Directory id → entries as of its last syncDir. */
  readonly #durable = new Map<number, Map<string, Entry>>();
  /** File id → bytes as of its last sync. */
  readonly #synced = new Map<number, Buffer>();
  /** Directory syncs in call order, and the latest one applied to each directory. */
  #syncSeq = 0;
  readonly #appliedSeq = new Map<number, number>();
  /** Names in the anchor this layer owns; anything else there (metadata.db, keys) is not touched. */
  readonly #owned = new Set<string>();

  private constructor(anchor: string, power: PowerSwitch) {
    this.#anchor = anchor;
    this.#power = power;
    this.#live.set(0, new Map());
    this.#durable.set(0, new Map());
  }

  /** A layer for the filestore at `root`; what is already there counts as durable. */
  static async over(root: string, power: PowerSwitch): Promise<PowerLossDisk> {
    const disk = new PowerLossDisk(dirname(root), power);
    disk.#owned.add(basename(root));
    await disk.#adopt(root, 0);
    return disk;
  }

  async #adopt(path: string, parent: number): Promise<void> {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
    if (!entries) return;
    const dir = this.#add(parent, basename(path), 'dir');
    this.#durable.get(parent)?.set(basename(path), dir);
    this.#durable.set(dir.id, new Map());
    for (const entry of entries) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await this.#adopt(full, dir.id);
      else {
        const file = this.#add(dir.id, entry.name, 'file');
        this.#durable.get(dir.id)?.set(entry.name, file);
        this.#synced.set(file.id, await readFile(full));
      }
    }
  }

  #add(parent: number, name: string, kind: Entry['kind']): Entry {
    const entry = { kind, id: this.#nextId++ };
    this.#live.get(parent)?.set(name, entry);
    if (kind === 'dir') this.#live.set(entry.id, new Map());
    return entry;
  }

  /** The id of the directory at `path` as it is now. */
  #dirId(path: string): number {
    const rel = relative(this.#anchor, path);
    let id = 0;
    for (const name of rel === '' ? [] : rel.split(sep)) {
      const entry = this.#live.get(id)?.get(name);
      if (entry?.kind !== 'dir') throw new Error(`power-loss model: ${path} is not a known directory`);
      id = entry.id;
    }
    return id;
  }

  #entries(path: string): Map<string, Entry> {
    return this.#live.get(this.#dirId(dirname(path))) as Map<string, Entry>;
  }

  #label(op: string, path: string): string {
    return `${op} ${relative(this.#anchor, path)}`;
  }

  async createFile(path: string): Promise<WritableFile> {
    this.#power.step(this.#label('create', path));
    // Readable too, so a sync can record the bytes it made durable.
    const handle = await open(path, 'wx+');
    const entry = this.#add(this.#dirId(dirname(path)), basename(path), 'file');
    const label = (op: string) => this.#label(op, path);
    return {
      write: async (chunks) => {
        this.#power.step(label('write'));
        await appendAll(handle, chunks);
      },
      // The model decides what a sync made durable; a real fsync would only slow the runs.
      sync: async () => {
        this.#power.step(label('fsync'));
        this.#synced.set(entry.id, await contentOf(handle));
      },
      // Closing loses nothing and must still free the descriptor after the cut.
      close: () => handle.close(),
    };
  }

  async mkdir(path: string): Promise<void> {
    this.#power.step(this.#label('mkdir', path));
    await mkdir(path);
    const dir = this.#add(this.#dirId(dirname(path)), basename(path), 'dir');
    this.#durable.set(dir.id, new Map());
  }

  async rename(from: string, to: string): Promise<void> {
    this.#power.step(`${this.#label('rename', from)} -> ${relative(this.#anchor, to)}`);
    await rename(from, to);
    const source = this.#entries(from);
    const entry = source.get(basename(from)) as Entry;
    source.delete(basename(from));
    this.#entries(to).set(basename(to), entry);
  }

  async unlink(path: string): Promise<void> {
    this.#power.step(this.#label('unlink', path));
    await unlink(path);
    this.#entries(path).delete(basename(path));
  }

  async removeTree(path: string): Promise<void> {
    this.#power.step(this.#label('remove', path));
    await rm(path, { recursive: true, force: true });
    try {
      this.#entries(path).delete(basename(path));
    } catch {
      // Its folder is gone already: nothing to remove from the model either.
    }
  }

  /**
   * An fsync takes time: it makes durable the entries as they were when it was called, and only
   * once it returns (power still on); entries added meanwhile may miss it. Modelled as a short
   * wait, so that concurrent callers overlap as they do on a real disk, and a caller that takes
   * a sync already running for one that covers its own entry loses it.
   */
  async syncDir(path: string): Promise<void> {
    const label = this.#label('fsync dir', path);
    this.#power.step(label);
    const id = this.#dirId(path);
    const entries = new Map(this.#live.get(id));
    const seq = ++this.#syncSeq;
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.#power.off) throw new PowerLost(`power is off: ${label}`);
    if (seq < (this.#appliedSeq.get(id) ?? 0)) return;
    this.#appliedSeq.set(id, seq);
    this.#durable.set(id, entries);
  }

  /** After the cut, with the Edge closed: the filestore becomes exactly what was durable. */
  async restoreDurableState(): Promise<void> {
    for (const name of this.#owned) await rm(join(this.#anchor, name), { recursive: true, force: true });
    for (const [name, entry] of this.#durable.get(0) ?? []) {
      if (this.#owned.has(name)) await this.#write(join(this.#anchor, name), entry);
    }
  }

  async #write(path: string, entry: Entry): Promise<void> {
    if (entry.kind === 'file') return writeFile(path, this.#synced.get(entry.id) ?? Buffer.alloc(0));
    await mkdir(path);
    for (const [name, child] of this.#durable.get(entry.id) ?? []) await this.#write(join(path, name), child);
  }
}

async function contentOf(handle: FileHandle): Promise<Buffer> {
  const { size } = await handle.stat();
  const buffer = Buffer.alloc(size);
  let read = 0;
  while (read < size) {
    const { bytesRead } = await handle.read(buffer, read, size - read, read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buffer.subarray(0, read);
}
