import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distribute, makeBundle, trustFixtureKey, type BundleFile } from './bundle-kit.ts';
import { clientsOf, startEdge, type RunningEdge } from './edge-harness.ts';
import { packNpm, tarballPath, type NpmProject } from './npm-packages.ts';
import { run } from './python-packages.ts';
import { issueToken, putPermission, putUser } from './trust-fixtures.ts';

/**
 * EDGE-PKG-8: the real npm installs from an Edge whose npm repository got its tarballs in a
 * signed release bundle: a scoped package and its dependency, with `_auth` and with a bearer
 * token in `.npmrc` (no `npm login`), from an empty cache; and `npm publish` is refused with the
 * Edge's read-only error, which npm prints (EDGE-PKG-5).
 */

const REPO = 'npm-local';
const USER = 'npm-user';
const PASSWORD = `${USER}-password-1`;
let edge: RunningEdge;
let work: string;
let registry: string;

const dep: NpmProject = { name: 'edgeproof-dep', version: '1.2.0' };
// A prerelease above it: `latest` stays on the release, so `^1.0.0` gets 1.2.0 (EDGE-PKG-3).
const depNext: NpmProject = { name: 'edgeproof-dep', version: '2.0.0-beta.1' };
const app: NpmProject = { name: '@edgeproof/app', version: '1.0.0', dependencies: { 'edgeproof-dep': '^1.0.0' } };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-npm-'));
  edge = await startEdge();
  await trustFixtureKey(edge);
  await clientsOf(edge).artifactory.createRepository(REPO, { rclass: 'local', packageType: 'npm' });
  await putUser(edge.url, edge.admin, USER, { email: `${USER}@example.com` });
  await putPermission(edge.url, edge.admin, 'npm-readers', { repositories: [REPO], actions: { users: { [USER]: ['read'] } } });
  const packed = join(work, 'packed');
  await mkdir(packed);
  const files: BundleFile[] = [];
  for (const project of [dep, depNext, app]) files.push({ repoPath: `${REPO}/${tarballPath(project)}`, bytes: (await packNpm(packed, project)).bytes });
  await distribute(edge, await makeBundle('npm-set', '1.0', files));
  const { port } = new URL(edge.url);
  registry = `//127.0.0.1:${port}/artifactory/api/npm/${REPO}/`;
}, 120_000);

afterAll(async () => {
  await edge?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A fresh project and cache whose only registry is the Edge, with `auth` as the `.npmrc` credential line. */
async function project(name: string, auth: string): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = join(work, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', private: true }));
  await writeFile(join(dir, '.npmrc'), `registry=http:${registry}\n${registry}:${auth}\n`);
  const userconfig = join(dir, 'empty-userrc');
  await writeFile(userconfig, '');
  const env = { ...process.env, npm_config_userconfig: userconfig, npm_config_cache: join(dir, 'cache'), npm_config_update_notifier: 'false' };
  return { dir, env };
}

async function installAndRun(name: string, auth: string): Promise<string> {
  const { dir, env } = await project(name, auth);
  await run('npm', ['install', '--no-audit', '--no-fund', '@edgeproof/app'], { cwd: dir, env });
  const version = (pkg: string) => readFile(join(dir, 'node_modules', pkg, 'package.json'), 'utf8').then((t) => (JSON.parse(t) as { version: string }).version);
  return `${await version('@edgeproof/app')} ${await version('edgeproof-dep')}`;
}

describe('EDGE-PKG-8: npm install from an Edge', () => {
  it('EDGE-PKG-8, EDGE-PKG-3: a scoped package and its dependency, with _auth', async () => {
    const auth = `_auth=${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    expect(await installAndRun('with-auth', auth)).toBe('1.0.0 1.2.0');
  }, 120_000);

  it('EDGE-PKG-8, EDGE-PKG-3: the same with a bearer token the Edge issued (_authToken)', async () => {
    const { access_token } = await issueToken(edge.url, `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    expect(await installAndRun('with-token', `_authToken=${access_token}`)).toBe('1.0.0 1.2.0');
  }, 120_000);

  it("EDGE-PKG-5: npm publish is refused with the Edge's read-only error, which npm prints", async () => {
    const auth = `_auth=${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const { dir, env } = await project('publisher', auth);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'edgeproof-published', version: '1.0.0' }));
    const failure = await run('npm', ['publish', '--registry', `http:${registry}`], { cwd: dir, env }).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toMatch(/403/);
    expect(failure).toContain('Deployment to an Edge Artifactory node is not supported.');
  }, 120_000);
});
