import { mkdir, open, rename, rm, unlink, type FileHandle } from 'node:fs/promises';

/** A file being written: bytes go in, `sync` puts them on stable storage. */
export interface WritableFile {
  /** Appends every byte of `chunks`, in order, in as few system calls as it can. */
  write(chunks: readonly Uint8Array[]): Promise<void>;
  /** fsync: the file's bytes (not its directory entry) are on stable storage. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The filestore's writes to the disk, and nothing else: reads go to `node:fs` directly.
 * Durability is the caller's to ask for: a new file, a new directory, a rename or an unlink
 * reaches stable storage only when the directory holding the entry is synced (`syncDir`), as
 * POSIX promises and power loss punishes. Tests put a layer here that forgets, at a simulated
 * power cut, everything not synced (test/power-loss-disk.ts).
 */
export interface Disk {
  /** Creates the file, failing if it exists. */
  createFile(path: string): Promise<WritableFile>;
  /** Creates one directory, failing with EEXIST if it exists. */
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes a file or a directory tree; no error when it is absent. */
  removeTree(path: string): Promise<void>;
  /** fsync of a directory: its entries as they are now are on stable storage. */
  syncDir(path: string): Promise<void>;
}

export const nodeDisk: Disk = {
  async createFile(path) {
    const handle = await open(path, 'wx');
    return {
      write: (chunks) => appendAll(handle, chunks),
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
  mkdir: async (path) => void (await mkdir(path)),
  rename,
  unlink,
  removeTree: (path) => rm(path, { recursive: true, force: true }),
  async syncDir(path) {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/**
 * writev may write fewer bytes than asked (a disk filling up): the rest is written after, so a
 * write that returns wrote everything, and one that cannot (no space) fails.
 */
export async function appendAll(handle: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  let rest = chunks.filter((chunk) => chunk.length > 0);
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest);
    if (bytesWritten === 0) throw Object.assign(new Error('no byte could be written'), { code: 'ENOSPC' });
    rest = after(rest, bytesWritten);
  }
}

function after(chunks: readonly Uint8Array[], bytes: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let skip = bytes;
  for (const chunk of chunks) {
    if (skip >= chunk.length) skip -= chunk.length;
    else {
      rest.push(chunk.subarray(skip));
      skip = 0;
    }
  }
  return rest;
}
