import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { EDGE_PROCESS_ENV } from '../edge/index.ts';

/** The `edgeproof` command as users run it (bin/edgeproof.js). */
export const EDGEPROOF_BIN = join(import.meta.dirname, '..', 'bin', 'edgeproof.js');

/*
 * Lives in bench/ because benchmarks measure a served Edge as users run it; the tests use it
 * too (test/served-edge.ts), bench/ never uses test code.
 */

export interface ServedEdge {
  child: ChildProcess;
  /** http://127.0.0.1:port */
  url: string;
  /** Milliseconds from spawn to the listening line. */
  startupMs: number;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM and wait. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait: a crash, as far as the data directory can tell. */
  kill(): Promise<void>;
}

/**
 * `edgeproof serve` in its own process (port 0), resolved once it prints its URL, with the
 * process environment the image runs it with (EDGE_PROCESS_ENV). `nodeArgs` go to node itself
 * (`--cpu-prof`, which NODE_OPTIONS refuses).
 */
export function serveEdge(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ServedEdge> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, EDGEPROOF_BIN, 'serve', '--port', '0', '--log-level', 'warn', ...args], {
      env: { PATH: process.env.PATH ?? '', ...EDGE_PROCESS_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let resolved = false;
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)\/artifactory/.exec(output);
      if (match?.[1] && !resolved) {
        resolved = true;
        resolve({
          child,
          url: match[1],
          startupMs: performance.now() - started,
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    void exited.then((code) => {
      if (!resolved) reject(new Error(`edgeproof serve exited with ${code} before listening:\n${output}`));
    });
  });
}
