import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distribute, makeBundle, trustFixtureKey, type BundleFile } from './bundle-kit.ts';
import { clientsOf, startEdge, type RunningEdge } from './edge-harness.ts';
import { installedVersion, npmBasicAuth, npmInstall, npmProject } from './npm-client-kit.ts';
import { packNpm, tarballPath, type NpmProject } from '../fixtures/packages/npm/pack.ts';
import { run } from '../fixtures/packages/pypi/build.ts';
import { createRemote, startUpstream, type Upstream } from './smart-remote-kit.ts';
import { issueToken, putPermission, putUser } from './trust-fixtures.ts';

/**
 * EDGE-PKG-8: the real npm installs from an Edge whose npm repository got its tarballs in a
 * signed release bundle: a scoped package and its dependency, with `_auth` and with a bearer
 * token in `.npmrc` (no `npm login`), from an empty cache; and `npm publish` is refused with the
 * Edge's read-only error, which npm prints (EDGE-PKG-5). EDGE-PKG-12: the same through a smart
 * remote pulling from the upstream simulator, and through a virtual over both.
 */

const REPO = 'npm-local';
const REMOTE = 'npm-remote';
const VIRTUAL = 'npm-virtual';
const USER = 'npm-user';
const PASSWORD = `${USER}-password-1`;
const AUTH = npmBasicAuth(USER, PASSWORD);
let edge: RunningEdge;
let upstream: Upstream;
let work: string;

const dep: NpmProject = { name: 'edgeproof-dep', version: '1.2.0' };
// A prerelease above it: `latest` stays on the release, so `^1.0.0` gets 1.2.0 (EDGE-PKG-3).
const depNext: NpmProject = { name: 'edgeproof-dep', version: '2.0.0-beta.1' };
const app: NpmProject = { name: '@edgeproof/app', version: '1.0.0', dependencies: { 'edgeproof-dep': '^1.0.0' } };
// Only on the upstream: a newer dependency, and a package whose dependency only the bundle brought.
const depUpstream: NpmProject = { name: 'edgeproof-dep', version: '1.3.0' };
const tool: NpmProject = { name: '@edgeproof/tool', version: '0.4.0', dependencies: { 'edgeproof-helper': '^1.0.0' } };
const helper: NpmProject = { name: 'edgeproof-helper', version: '1.1.0' };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-npm-'));
  upstream = await startUpstream();
  edge = await startEdge();
  await trustFixtureKey(edge);
  const { artifactory } = clientsOf(edge);
  await artifactory.createRepository(REPO, { rclass: 'local', packageType: 'npm' });
  const packed = join(work, 'packed');
  await mkdir(packed);
  const files: BundleFile[] = [];
  for (const project of [dep, depNext, app, helper]) files.push({ repoPath: `${REPO}/${tarballPath(project)}`, bytes: (await packNpm(packed, project)).bytes });
  await distribute(edge, await makeBundle('npm-set', '1.0', files));
  for (const project of [dep, depUpstream, app, tool]) await upstream.put(tarballPath(project), (await packNpm(packed, project)).bytes);
  const created = await createRemote(edge, REMOTE, upstream.repoUrl, { packageType: 'npm' });
  expect(created.status, created.body).toBe(200);
  await artifactory.createRepository(VIRTUAL, { rclass: 'virtual', packageType: 'npm', repositories: [REPO, REMOTE] });
  await putUser(edge.url, edge.admin, USER, { email: `${USER}@example.com` });
  await putPermission(edge.url, edge.admin, 'npm-readers', { repositories: [REPO, VIRTUAL], actions: { users: { [USER]: ['read'] } } });
  // EDGE-SR-17: pulling through a smart remote caches, which the caller must be allowed.
  await putPermission(edge.url, edge.admin, 'npm-cachers', { repositories: [REMOTE], actions: { users: { [USER]: ['read', 'write'] } } });
}, 120_000);

afterAll(async () => {
  await edge?.close();
  await upstream?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const registryOf = (repo: string) => `http://127.0.0.1:${new URL(edge.url).port}/artifactory/api/npm/${repo}/`;

/** Installs `pkg` from `repo` into a fresh project with an empty cache; the installed versions of `pkg` and `dependency`. */
async function installAndRun(name: string, auth: string, repo = REPO, pkg = app.name, dependency = dep.name): Promise<string> {
  const project = await npmProject(join(work, name), { registry: registryOf(repo), auth });
  await npmInstall(project, [pkg]);
  return `${await installedVersion(project, pkg)} ${await installedVersion(project, dependency)}`;
}

describe('EDGE-PKG-8: npm install from an Edge', () => {
  it('EDGE-PKG-8, EDGE-PKG-3: a scoped package and its dependency, with _auth', async () => {
    expect(await installAndRun('with-auth', AUTH)).toBe('1.0.0 1.2.0');
  }, 120_000);

  it('EDGE-PKG-8, EDGE-PKG-3: the same with a bearer token the Edge issued (_authToken)', async () => {
    const { access_token } = await issueToken(edge.url, `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    expect(await installAndRun('with-token', `_authToken=${access_token}`)).toBe('1.0.0 1.2.0');
  }, 120_000);

  it("EDGE-PKG-5: npm publish is refused with the Edge's read-only error, which npm prints", async () => {
    const { dir, env } = await npmProject(join(work, 'publisher'), { registry: registryOf(REPO), auth: AUTH });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'edgeproof-published', version: '1.0.0' }));
    const failure = await run('npm', ['publish', '--registry', registryOf(REPO)], { cwd: dir, env }).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toMatch(/403/);
    expect(failure).toContain('Deployment to an Edge Artifactory node is not supported.');
  }, 120_000);
});

describe('EDGE-PKG-12: npm install through a smart remote and a virtual repository', () => {
  it('EDGE-PKG-12, EDGE-PKG-9: a scoped package and its dependency, pulled through a smart remote from the upstream', async () => {
    expect(await installAndRun('through-remote', AUTH, REMOTE)).toBe('1.0.0 1.3.0');
    expect(await upstream.count('GET', tarballPath(depUpstream))).toBe(1);
    // Cached: the same install again does not download it again.
    expect(await installAndRun('through-remote-again', AUTH, REMOTE)).toBe('1.0.0 1.3.0');
    expect(await upstream.count('GET', tarballPath(depUpstream))).toBe(1);
  }, 120_000);

  it('EDGE-PKG-12, EDGE-PKG-10: through a virtual over both, a package only the upstream holds with a dependency only the bundle brought', async () => {
    expect(await installAndRun('through-virtual', AUTH, VIRTUAL, tool.name, helper.name)).toBe('0.4.0 1.1.0');
    expect(await installAndRun('through-virtual-app', AUTH, VIRTUAL)).toBe('1.0.0 1.3.0');
  }, 120_000);
});
