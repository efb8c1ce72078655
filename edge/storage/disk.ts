import { mkdir, open, rename, rm, unlink } from 'node:fs/promises';

/** A file being written: bytes go in, `sync` puts them on stable storage. */
export interface WritableFile {
  write(chunk: Uint8Array): Promise<void>;
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
      write: async (chunk) => void (await handle.write(chunk)),
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
