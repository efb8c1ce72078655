import { mkdir } from 'node:fs/promises';
import type { EdgeConfig } from '../config.ts';
import { checkDataDir } from './data-dir.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { reservePort, type PortReservation } from './port.ts';

export interface PrimaryHold {
  /** The port the workers listen on (the one the system chose when asked for 0). */
  port: number;
  /** Lets the workers' shared listener take the port; call just before the first worker starts. */
  releasePort(): Promise<void>;
  /** Releases the data directory's lock (idempotent); call once every worker has stopped. */
  release(): Promise<void>;
}

/**
 * EDGE-CLU-1, EDGE-OPS-1, EDGE-OPS-2: what the primary of `edgeproof serve --workers` holds for
 * its workers: the data directory's lock for as long as it lives, and the port until the first
 * worker listens. Refusals (an unusable data directory, a port in use, a data directory another
 * Edge holds) come from here, before any worker starts or anything is printed.
 */
export async function holdForWorkers(config: EdgeConfig): Promise<PrimaryHold> {
  await checkDataDir(config.dataDir);
  const port: PortReservation = await reservePort(config.host, config.port);
  let lock: DataDirLock | undefined;
  try {
    await mkdir(config.dataDir, { recursive: true });
    lock = await lockDataDir(config.dataDir);
  } catch (error) {
    await port.release();
    throw error;
  }
  const held = lock;
  return {
    port: port.port,
    releasePort: () => port.release(),
    async release() {
      await port.release();
      await held.release();
    },
  };
}
