import cluster, { type Worker } from 'node:cluster';
import type { EdgeConfig, EdgeOptions } from '../edge/index.ts';

/** What a worker tells its primary once it serves. */
interface Listening {
  type: 'edgeproof:listening';
  url: string;
  serviceId: string;
}

/** The port the primary reserved, handed to its workers (their own `--port` may say 0); outside EDGEPROOF_*, which is configuration. */
const PORT_ENV = 'EDGE_WORKER_PORT';

const isListening = (message: unknown): message is Listening => (message as Listening | undefined)?.type === 'edgeproof:listening';

/**
 * EDGE-CLU-1: `edgeproof serve --workers N`. The primary holds the data directory's lock and
 * the port, starts one worker and waits until it serves (it alone migrates the database and
 * creates the admin user, printing a generated password once), then starts the others; the
 * start-up line is printed once all of them listen. A worker that dies later is replaced; one
 * that dies before it ever served stops the whole Edge (a crash loop helps nobody). SIGTERM or
 * SIGINT stops every worker gracefully, then the lock is released.
 */
export async function servePrimary(config: EdgeConfig): Promise<void> {
  const { holdForWorkers } = await import('../edge/index.ts');
  const hold = await holdForWorkers(config);
  let stopping = false;
  const env = { [PORT_ENV]: String(hold.port) };

  const start = () =>
    new Promise<{ worker: Worker; listening: Listening }>((resolve, reject) => {
      const worker = cluster.fork(env);
      const onExit = (code: number | null) => reject(new Error(`worker ${worker.process.pid} exited with ${code} before it served`));
      worker.once('exit', onExit);
      worker.on('message', (message: unknown) => {
        if (!isListening(message)) return;
        worker.off('exit', onExit);
        resolve({ worker, listening: message });
      });
    });

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await hold.release();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  let first: Listening;
  try {
    await hold.releasePort();
    first = (await start()).listening;
    await Promise.all(Array.from({ length: config.workers - 1 }, () => start()));
  } catch (error) {
    process.stderr.write(`edgeproof: ${(error as Error).message}; stopping\n`);
    await stopAll(1);
    return;
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`edgeproof: worker ${worker.process.pid} stopped (${signal ?? `exit ${code}`}); starting another\n`);
    start().catch((error: unknown) => {
      process.stderr.write(`edgeproof: ${(error as Error).message}; stopping\n`);
      void stopAll(1);
    });
  });
  process.stdout.write(
    `edgeproof Edge ${first.serviceId} listening on ${first.url}/artifactory (data: ${config.dataDir}, ${config.workers} workers, primary PID ${process.pid})\n`,
  );
}

/** A worker's Edge: the primary's port, none of what the primary holds, and a word to it once serving. */
export function workerSetup(config: EdgeConfig): { config: EdgeConfig; options: Pick<EdgeOptions, 'worker'> } {
  return { config: { ...config, port: Number(process.env[PORT_ENV]) }, options: { worker: true } };
}

export function announceToPrimary(url: string, serviceId: string): void {
  const message: Listening = { type: 'edgeproof:listening', url, serviceId };
  process.send?.(message);
}

export const isWorker = (): boolean => cluster.isWorker;
