import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../fixtures/packages/pypi/build.ts';

/**
 * Drives the real `pip` against an Edge (or any index): a virtual environment of its own,
 * installs with nothing but the given index, into a target folder, with or without a cache.
 * Shared by the client tests and the install benchmarks.
 */

export interface PipVenv {
  dir: string;
  pip: string;
  python: string;
}

/** A fresh virtual environment at `dir`. */
export async function pipVenv(dir: string): Promise<PipVenv> {
  await run('python3', ['-m', 'venv', dir]);
  return { dir, pip: join(dir, 'bin', 'pip'), python: join(dir, 'bin', 'python') };
}

/** The index URL pip takes, with Basic credentials in it (pip sends them to every request to that host). */
export function pipIndexUrl(base: string, repo: string, credentials?: { user: string; password: string }): string {
  const url = new URL(`${base.replace(/\/$/, '')}/artifactory/api/pypi/${repo}/simple`);
  if (credentials) {
    url.username = encodeURIComponent(credentials.user);
    url.password = encodeURIComponent(credentials.password);
  }
  return url.toString();
}

export interface PipInstallOptions {
  indexUrl: string;
  /** Installed here (`--target`), not into the environment, so each install starts empty. */
  target: string;
  /** pip's HTTP and wheel cache; none: no cache at all. */
  cacheDir?: string;
}

function pipEnv(cacheDir?: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PIP_CONFIG_FILE: '/dev/null',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_INPUT: '1',
    ...(cacheDir ? { PIP_CACHE_DIR: cacheDir } : { PIP_NO_CACHE_DIR: '1' }),
  };
}

/** `pip install` of `requirements`, with nothing but the index to install from. */
export async function pipInstall(venv: PipVenv, requirements: string[], options: PipInstallOptions): Promise<void> {
  await run(venv.pip, ['install', '--index-url', options.indexUrl, '--target', options.target, ...requirements], { env: pipEnv(options.cacheDir) });
}

/** What `python -c probe` prints with the target folder on its path (stripped). */
export async function pythonIn(venv: PipVenv, target: string, probe: string): Promise<string> {
  const { stdout } = await run(venv.python, ['-c', probe], { env: { ...pipEnv(), PYTHONPATH: target } });
  return stdout.trim();
}

/** Empties pip's cache and the target folder, for a cold install. */
export async function clearPip(options: Pick<PipInstallOptions, 'target' | 'cacheDir'>): Promise<void> {
  await Promise.all([options.target, options.cacheDir].filter((p): p is string => p !== undefined).map((p) => rm(p, { recursive: true, force: true })));
}
