import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'edgeproof.js');

export interface ServedEdge {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the listening line. */
  startupMs: number;
  stop(): Promise<void>;
}

/** `edgeproof serve` in its own process, so its memory is measured alone. */
export function serveEdge(args: string[]): Promise<ServedEdge> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'warn', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)\/artifactory/.exec(output);
      if (match?.[1]) {
        child.stdout?.off('data', onData);
        resolve({
          child,
          url: match[1],
          startupMs: performance.now() - started,
          stop: () =>
            new Promise((done) => {
              child.once('close', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c));
    child.once('close', (code) => reject(new Error(`edgeproof serve exited with ${code}: ${output}`)));
  });
}

/** Resident set size of a process in bytes (Linux). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

/** Samples RSS every `intervalMs` until stopped; returns the peak. */
export function sampleRss(pid: number, intervalMs = 50): { stop(): Promise<{ peak: number; samples: number }> } {
  let peak = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await rssOf(pid).catch(() => 0));
      samples++;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peak, samples };
    },
  };
}
