import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distribute, makeBundle, trustFixtureKey, type BundleFile } from './bundle-kit.ts';
import { clientsOf, startEdge, type RunningEdge } from './edge-harness.ts';
import { pipIndexUrl, pipInstall, pipVenv, pythonIn, type PipVenv } from './pip-client-kit.ts';
import { buildPython } from '../fixtures/packages/pypi/build.ts';
import { createRemote, startUpstream, type Upstream } from './smart-remote-kit.ts';
import { putPermission, putUser } from './trust-fixtures.ts';

/**
 * EDGE-PKG-8: the real pip, in a fresh virtual environment with no other index, installs from
 * an Edge whose PyPI repository got its files in a signed release bundle: a wheel and an sdist,
 * each pulling its dependency through the simple index, as a user whose credentials are in the
 * index URL and who may not read one folder of the repository (EDGE-PKG-2). EDGE-PKG-12: the same
 * through a smart remote pulling from the upstream simulator, and through a virtual over both.
 */

const REPO = 'pypi-local';
const REMOTE = 'pypi-remote';
const VIRTUAL = 'pypi-virtual';
const USER = 'pip-user';
let edge: RunningEdge;
let upstream: Upstream;
let work: string;
let venv: PipVenv;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-pip-'));
  upstream = await startUpstream();
  edge = await startEdge();
  await trustFixtureKey(edge);
  const { artifactory } = clientsOf(edge);
  await artifactory.createRepository(REPO, { rclass: 'local', packageType: 'pypi' });
  await putUser(edge.url, edge.admin, USER, { email: `${USER}@example.com` });
  await putPermission(edge.url, edge.admin, 'pip-readers', {
    repositories: [REPO, VIRTUAL],
    'exclude-patterns': ['hidden/**'],
    actions: { users: { [USER]: ['read'] } },
  });
  // EDGE-SR-17: pulling through a smart remote caches, which the caller must be allowed.
  await putPermission(edge.url, edge.admin, 'pip-cachers', { repositories: [REMOTE], actions: { users: { [USER]: ['read', 'write'] } } });

  const built = join(work, 'build');
  const dep1 = await buildPython(join(built, 'dep1'), { name: 'edgeproof-dep', version: '1.0' }, 'wheel');
  // A newer dependency pip would prefer, in a folder the user may not read: it must not be offered.
  const dep2 = await buildPython(join(built, 'dep2'), { name: 'edgeproof-dep', version: '2.0' }, 'wheel');
  const app = await buildPython(join(built, 'app'), { name: 'Edgeproof.App', version: '1.0', dependencies: ['edgeproof-dep>=1'] }, 'wheel');
  const tool = await buildPython(join(built, 'tool'), { name: 'edgeproof_tool', version: '0.3', dependencies: ['Edgeproof_Dep'] }, 'sdist');
  // Only in the bundle: a dependency of a package only the upstream holds.
  const helper = await buildPython(join(built, 'helper'), { name: 'edgeproof-helper', version: '1.1' }, 'wheel');
  const extra = await buildPython(join(built, 'extra'), { name: 'edgeproof-extra', version: '0.2', dependencies: ['edgeproof-helper'] }, 'sdist');
  const files: BundleFile[] = [
    { repoPath: `${REPO}/edgeproof-dep/1.0/${dep1.filename}`, bytes: dep1.bytes },
    { repoPath: `${REPO}/hidden/${dep2.filename}`, bytes: dep2.bytes },
    { repoPath: `${REPO}/edgeproof-app/1.0/${app.filename}`, bytes: app.bytes },
    { repoPath: `${REPO}/edgeproof-tool/0.3/${tool.filename}`, bytes: tool.bytes },
    { repoPath: `${REPO}/edgeproof-helper/1.1/${helper.filename}`, bytes: helper.bytes },
  ];
  await distribute(edge, await makeBundle('python-set', '1.0', files));
  for (const file of [dep1, app, tool, extra]) await upstream.put(`python/${file.filename}`, file.bytes);
  const created = await createRemote(edge, REMOTE, upstream.repoUrl, { packageType: 'pypi' });
  expect(created.status, created.body).toBe(200);
  await artifactory.createRepository(VIRTUAL, { rclass: 'virtual', packageType: 'pypi', repositories: [REPO, REMOTE] });

  venv = await pipVenv(join(work, 'venv'));
}, 120_000);

afterAll(async () => {
  await edge?.close();
  await upstream?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** pip install from `repo` into its own target folder, with nothing but the Edge to install from; what `python` then imports from there. */
async function install(requirement: string, target: string, probe: string, repo = REPO): Promise<string> {
  const indexUrl = pipIndexUrl(`http://127.0.0.1:${new URL(edge.url).port}`, repo, { user: USER, password: `${USER}-password-1` });
  await pipInstall(venv, [requirement], { indexUrl, target: join(work, target) });
  return pythonIn(venv, join(work, target), probe);
}

const APP = 'import edgeproof_app, edgeproof_dep; print(edgeproof_app.VERSION, edgeproof_dep.VERSION)';
const TOOL = 'import edgeproof_tool, edgeproof_dep; print(edgeproof_tool.VERSION, edgeproof_dep.VERSION)';

describe('EDGE-PKG-8: pip install from an Edge', () => {
  it('EDGE-PKG-8, EDGE-PKG-6, EDGE-PKG-7, EDGE-PKG-2: a wheel and its dependency, by a name that is not normalized; the dependency the user may not read is not offered', async () => {
    expect(await install('Edgeproof.App', 'app', APP)).toBe('1.0 1.0');
  }, 120_000);

  it('EDGE-PKG-8, EDGE-PKG-6: an sdist, built by pip, and its dependency', async () => {
    expect(await install('edgeproof-tool==0.3', 'tool', TOOL)).toBe('0.3 1.0');
  }, 120_000);
});

describe('EDGE-PKG-12: pip install through a smart remote and a virtual repository', () => {
  it('EDGE-PKG-12, EDGE-PKG-9: a wheel and an sdist, each with its dependency, pulled through a smart remote from the upstream', async () => {
    expect(await install('Edgeproof.App', 'remote-app', APP, REMOTE)).toBe('1.0 1.0');
    expect(await install('edgeproof-tool==0.3', 'remote-tool', TOOL, REMOTE)).toBe('0.3 1.0');
    expect(await upstream.count('GET', 'python/edgeproof_dep-1.0-py3-none-any.whl')).toBe(1);
  }, 120_000);

  it('EDGE-PKG-12, EDGE-PKG-10: through a virtual over both, a wheel with its dependency, and an sdist only the upstream holds with a dependency only the bundle brought', async () => {
    expect(await install('Edgeproof.App', 'virtual-app', APP, VIRTUAL)).toBe('1.0 1.0');
    expect(
      await install(
        'edgeproof-extra',
        'virtual-extra',
        'import edgeproof_extra, edgeproof_helper; print(edgeproof_extra.VERSION, edgeproof_helper.VERSION)',
        VIRTUAL,
      ),
    ).toBe('0.2 1.1');
  }, 120_000);
});
