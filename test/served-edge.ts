import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'edgeproof.js');

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

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting its output. */
export function runProcess(command: string, args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The `edgeproof` command, run to its end. */
export function edgeproof(args: string[], env: Record<string, string> = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [BIN, ...args], env);
}

export interface RunningCommand {
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/** A long-running `edgeproof` command, resolved once its output matches `ready`. */
export function startCommand(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<RunningCommand> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let resolved = false;
    const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (!resolved && ready.test(output)) {
        resolved = true;
        resolve({ child, output: () => output, stop: () => (child.kill('SIGTERM'), exited) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      if (!resolved) reject(new Error(`edgeproof ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** `edgeproof serve` in its own process (port 0), resolved once it prints its URL. */
export function serveEdge(args: string[], env: Record<string, string> = {}): Promise<ServedEdge> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BIN), 'serve', '--port', '0', '--log-level', 'warn', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
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
