import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StartupRefusal } from './refusal.ts';

const LOCK_FILE = 'edgeproof.lock';
/** The holder's PID, for the refusal message: the lock itself cannot be read while held. */
const PID_FILE = 'edgeproof.pid';
const HOLDER_READS = 10;
const HOLDER_READ_INTERVAL_MS = 20;

export interface DataDirLock {
  /** Idempotent. */
  release(): Promise<void>;
}

/**
 * EDGE-OPS-1: one Edge per data directory. Node has no flock, but SQLite takes POSIX (fcntl)
 * locks, which the kernel drops when the holding process dies, however it dies: a write
 * transaction on `edgeproof.lock` held for the life of the Edge is a lock released on crash.
 * SQLite also tracks its locks per file inside a process, so a second open in the same
 * process is refused too.
 */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const db = new Database(join(dir, LOCK_FILE), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    const pid = await holderPid(dir);
    throw new StartupRefusal(`data directory ${dir} is in use by another Edge (${pid === undefined ? 'PID unknown' : `PID ${pid}`})`);
  }
  const pidFile = join(dir, PID_FILE);
  await writeFile(pidFile, `${process.pid}\n`);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // Before the lock goes, so the PID file of a next holder is never the one removed.
      await rm(pidFile, { force: true });
      db.close();
    },
  };
}

/** The holder writes its PID just after locking; a refusal in between waits a moment for it. */
async function holderPid(dir: string): Promise<number | undefined> {
  for (let attempt = 0; attempt < HOLDER_READS; attempt++) {
    const text = await readFile(join(dir, PID_FILE), 'utf8').catch(() => '');
    const pid = Number.parseInt(text, 10);
    if (Number.isSafeInteger(pid) && pid > 0 && alive(pid)) return pid;
    await new Promise((resolve) => setTimeout(resolve, HOLDER_READ_INTERVAL_MS));
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
