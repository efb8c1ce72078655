import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { EDGE_PROCESS_ENV } from '../../edge/index.ts';
import { TargetUnavailable } from './target.ts';

/** The `edgeproof` command as users run it. */
const EDGEPROOF_BIN = join(import.meta.dirname, '..', '..', 'bin', 'edgeproof.js');
const START_TIMEOUT_MS = 60_000;

/**
 * One node of the cluster target: `edgeproof serve` in a process of its own, on a fixed port
 * and data directory, so a node killed and started again comes back as the same node.
 */
export class ClusterNode {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #output = '';

  constructor(
    readonly index: number,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process's id (for its RSS); undefined while stopped. */
  get pid(): number | undefined {
    return this.running ? this.#child?.pid : undefined;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Starts the process and waits until it answers its readiness probe. */
  async start(): Promise<void> {
    if (this.running) return;
    this.#output = '';
    const child = spawn(process.execPath, [EDGEPROOF_BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', ...EDGE_PROCESS_ENV, ...this.env, EDGEPROOF_PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.#output += chunk));
    child.stderr?.on('data', (chunk: Buffer) => (this.#output += chunk));
    this.#exited = new Promise((done) => child.once('close', () => done()));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running) throw new TargetUnavailable(`cluster node ${this.index} stopped at start: ${this.#output.trim().split('\n').slice(-3).join(' | ')}`);
      const ready = await fetch(`${this.url}/artifactory/api/v1/system/readiness`, { signal: AbortSignal.timeout(2_000) }).then(
        (res) => res.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill();
    throw new TargetUnavailable(`cluster node ${this.index} was not ready within ${START_TIMEOUT_MS / 1000} s`);
  }

  /** SIGKILL: a crash, as far as the shared stores can tell. */
  async kill(): Promise<void> {
    if (this.running) this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM: a clean stop. */
  async stop(): Promise<void> {
    if (this.running) this.#child?.kill('SIGTERM');
    await this.#exited;
  }
}
