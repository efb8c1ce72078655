import { spawn, type ChildProcess } from 'node:child_process';
import { EDGEPROOF_BIN as BIN } from '../bench/served-edge.ts';

export { serveEdge, type ServedEdge } from '../bench/served-edge.ts';

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Run as this user (the test runs as root). */
  uid?: number;
  gid?: number;
  /** SIGKILL after this long: a command expected to stop that does not is not left running. */
  killAfterMs?: number;
}

/** Runs a command to its end, collecting its output. */
export function runProcess(command: string, args: string[], env: Record<string, string> = {}, options: RunOptions = {}): Promise<ProcessResult> {
  const { killAfterMs, ...as } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env }, ...as });
    const kill = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A test that runs the `edgeproof` command: its start-up alone takes seconds on a busy machine. */
export const CLI_TEST_TIMEOUT_MS = 90_000;

/** The `edgeproof` command, run to its end. */
export function edgeproof(args: string[], env: Record<string, string> = {}, options: RunOptions = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [BIN, ...args], env, options);
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
        resolve({
          child,
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      if (!resolved) reject(new Error(`edgeproof ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}
