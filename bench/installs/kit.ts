import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/** What a package set is on the wire: files at their repository paths. */
export interface PackageFile {
  path: string;
  bytes: Buffer;
}

export interface PackageSet {
  files: PackageFile[];
  /** What the client is asked to install or pull (the rest comes as dependencies or layers). */
  target: string;
}

/** Where a client installs from: a repository on an Edge, or the plain directory (and, for HTTP clients, nginx serving it). */
export type Source = { kind: 'edge'; base: string; repo: string; user: string; password: string } | { kind: 'plain'; url: string; dir: string };

/**
 * One package format in the install benchmark: the set it installs, how the same files lie in a
 * plain directory, and the unmodified client that installs them, from an empty client cache
 * each time (the benchmark measures the server side, not the client's cache).
 */
export interface InstallFormat {
  name: string;
  packageType: 'npm' | 'pypi' | 'maven' | 'docker';
  /** What must be on PATH; the format is skipped, said in one line, when one is missing. */
  commands: string[];
  build(work: string, count: number, kib: number): Promise<PackageSet>;
  /** Lays the set out under `dir` as the client reads it without an Edge (`url` serves `dir`). */
  layPlain(dir: string, set: PackageSet, url: string): Promise<void>;
  install(work: string, set: PackageSet, source: Source): Promise<void>;
}

export const sh = promisify(execFile);

/** `kib` KiB that do not compress (a package's payload), the same for the same `seed`. */
export function payload(kib: number, seed: string): Buffer {
  const blocks: Buffer[] = [];
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < kib * 32; i++) {
    blocks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(blocks);
}

export async function writeAt(dir: string, path: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), bytes);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * nginx serving `root` read-only on loopback: a folder answers its `index.json` (an npm
 * packument) or `index.html` (a PyPI simple page), as a static npm or PyPI mirror is laid out.
 */
export async function startNginx(root: string, work: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const conf = join(work, 'nginx.conf');
  await writeFile(
    conf,
    `daemon off;\nuser root;\nworker_processes 1;\npid ${work}/nginx.pid;\nerror_log ${work}/nginx-error.log;\nevents {}\nhttp {\n  access_log off;\n  sendfile on;\n  types { application/json json; text/html html; application/xml xml pom; }\n  default_type application/octet-stream;\n  client_body_temp_path ${work}/nginx-body;\n  proxy_temp_path ${work}/nginx-proxy;\n  fastcgi_temp_path ${work}/nginx-fastcgi;\n  uwsgi_temp_path ${work}/nginx-uwsgi;\n  scgi_temp_path ${work}/nginx-scgi;\n  server {\n    listen 127.0.0.1:${port};\n    root ${root};\n    location / { try_files $uri $uri/index.json $uri/index.html =404; }\n  }\n}\n`,
  );
  const child = spawn('nginx', ['-p', work, '-c', conf, '-e', join(work, 'nginx-error.log')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(url).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (i > 100) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGQUIT');
      await exited;
    },
  };
}

/** Seconds `fn` takes. */
export async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
