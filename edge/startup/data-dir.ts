import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StartupRefusal } from './refusal.ts';

/** Kernel file systems: "data" written there changes the machine rather than being stored. */
const KERNEL_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * EDGE-OPS-2: everything that can be said about the data directory without creating anything.
 * `dir` is absolute (the config resolves it). Checked on the nearest part of the path that
 * exists, so a directory still to be created is judged by the one it will be created in.
 */
export async function checkDataDir(dir: string): Promise<void> {
  const existing = await nearestExisting(dir);
  const real = await realpath(existing);
  const kernel = KERNEL_ROOTS.find((root) => real === root || real.startsWith(`${root}/`));
  if (kernel) throw new StartupRefusal(`data directory ${dir} is under ${kernel}, a kernel file system; choose a directory on disk`);
  if (!(await stat(existing)).isDirectory()) {
    throw new StartupRefusal(`data directory ${dir} cannot be used: ${existing} is not a directory`);
  }
  const needs = existing === dir ? constants.R_OK | constants.W_OK | constants.X_OK : constants.W_OK | constants.X_OK;
  try {
    await access(existing, needs);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'EROFS' ? 'is on a read-only file system' : 'is not writable by this user';
    throw new StartupRefusal(existing === dir ? `data directory ${dir} ${why}` : `data directory ${dir} cannot be created: ${existing} ${why}`);
  }
}

async function nearestExisting(path: string): Promise<string> {
  for (let at = path; ; at = dirname(at)) {
    try {
      await stat(at);
      return at;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES') throw new StartupRefusal(`data directory ${path} cannot be reached: ${at} is not searchable by this user`);
      // ENOENT: not there yet; ENOTDIR: a file stands in the way, found as the "nearest" below.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(at) === at) throw error;
    }
  }
}
