import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../fixtures/packages/pypi/build.ts';

/**
 * Drives the real `npm` against an Edge (or any registry): a project whose only registry is the
 * one given, with its credential line in `.npmrc`, its own cache, and no user configuration.
 * Shared by the client tests and the install benchmarks.
 */

export interface NpmProjectOptions {
  /** The registry URL, e.g. `http://127.0.0.1:8080/artifactory/api/npm/npm-local/`. */
  registry: string;
  /** The credential for that registry, as `.npmrc` takes it: `_auth=<base64 user:password>` or `_authToken=<token>`; none for anonymous. */
  auth?: string;
}

export interface NpmClientProject {
  dir: string;
  env: NodeJS.ProcessEnv;
  cache: string;
}

/** The `.npmrc` credential line value for Basic credentials. */
export const npmBasicAuth = (user: string, password: string): string => `_auth=${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A fresh project in `dir` (created) with an empty cache. */
export async function npmProject(dir: string, options: NpmProjectOptions): Promise<NpmClientProject> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'edgeproof-client', version: '0.0.0', private: true }));
  const scoped = options.registry.replace(/^https?:/, '');
  await writeFile(join(dir, '.npmrc'), `registry=${options.registry}\n${options.auth ? `${scoped}:${options.auth}\n` : ''}`);
  const userconfig = join(dir, 'empty-userrc');
  await writeFile(userconfig, '');
  const cache = join(dir, 'cache');
  const env = { ...process.env, npm_config_userconfig: userconfig, npm_config_cache: cache, npm_config_update_notifier: 'false' };
  return { dir, env, cache };
}

/** `npm install` of `packages` (no audit: the Edge refuses its POST as a write). */
export async function npmInstall(project: NpmClientProject, packages: string[]): Promise<void> {
  await run('npm', ['install', '--no-audit', '--no-fund', ...packages], { cwd: project.dir, env: project.env });
}

/** The version of `pkg` installed in the project. */
export async function installedVersion(project: NpmClientProject, pkg: string): Promise<string> {
  return (JSON.parse(await readFile(join(project.dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Empties the project's npm cache and installed packages, for a cold install. */
export async function clearNpm(project: NpmClientProject): Promise<void> {
  await Promise.all(
    [project.cache, join(project.dir, 'node_modules'), join(project.dir, 'package-lock.json')].map((p) => rm(p, { recursive: true, force: true })),
  );
  await writeFile(join(project.dir, 'package.json'), JSON.stringify({ name: 'edgeproof-client', version: '0.0.0', private: true }));
}
