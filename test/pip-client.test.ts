import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distribute, makeBundle, trustFixtureKey, type BundleFile } from './bundle-kit.ts';
import { clientsOf, startEdge, type RunningEdge } from './edge-harness.ts';
import { buildPython, run } from './python-packages.ts';
import { putPermission, putUser } from './trust-fixtures.ts';

/**
 * EDGE-PKG-8: the real pip, in a fresh virtual environment with no other index, installs from
 * an Edge whose PyPI repository got its files in a signed release bundle: a wheel and an sdist,
 * each pulling its dependency through the simple index, as a user whose credentials are in the
 * index URL and who may not read one folder of the repository (EDGE-PKG-2).
 */

const REPO = 'pypi-local';
const USER = 'pip-user';
let edge: RunningEdge;
let work: string;
let pip: string;
let indexUrl: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-pip-'));
  edge = await startEdge();
  await trustFixtureKey(edge);
  await clientsOf(edge).artifactory.createRepository(REPO, { rclass: 'local', packageType: 'pypi' });
  await putUser(edge.url, edge.admin, USER, { email: `${USER}@example.com` });
  await putPermission(edge.url, edge.admin, 'pip-readers', {
    repositories: [REPO],
    'exclude-patterns': ['hidden/**'],
    actions: { users: { [USER]: ['read'] } },
  });

  const built = join(work, 'build');
  const dep1 = await buildPython(join(built, 'dep1'), { name: 'edgeproof-dep', version: '1.0' }, 'wheel');
  // A newer dependency pip would prefer, in a folder the user may not read: it must not be offered.
  const dep2 = await buildPython(join(built, 'dep2'), { name: 'edgeproof-dep', version: '2.0' }, 'wheel');
  const app = await buildPython(join(built, 'app'), { name: 'Edgeproof.App', version: '1.0', dependencies: ['edgeproof-dep>=1'] }, 'wheel');
  const tool = await buildPython(join(built, 'tool'), { name: 'edgeproof_tool', version: '0.3', dependencies: ['Edgeproof_Dep'] }, 'sdist');
  const files: BundleFile[] = [
    { repoPath: `${REPO}/edgeproof-dep/1.0/${dep1.filename}`, bytes: dep1.bytes },
    { repoPath: `${REPO}/hidden/${dep2.filename}`, bytes: dep2.bytes },
    { repoPath: `${REPO}/edgeproof-app/1.0/${app.filename}`, bytes: app.bytes },
    { repoPath: `${REPO}/edgeproof-tool/0.3/${tool.filename}`, bytes: tool.bytes },
  ];
  await distribute(edge, await makeBundle('python-set', '1.0', files));

  await run('python3', ['-m', 'venv', join(work, 'venv')]);
  pip = join(work, 'venv', 'bin', 'pip');
  const { port } = new URL(edge.url);
  indexUrl = `http://${USER}:${USER}-password-1@127.0.0.1:${port}/artifactory/api/pypi/${REPO}/simple`;
}, 120_000);

afterAll(async () => {
  await edge?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** pip install into its own target folder, with nothing but the Edge to install from; what `python` then imports from there. */
async function install(requirement: string, target: string, probe: string): Promise<string> {
  const env = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_CACHE_DIR: '1', PIP_NO_INPUT: '1' };
  await run(pip, ['install', '--index-url', indexUrl, '--target', join(work, target), requirement], { env });
  const { stdout } = await run(join(work, 'venv', 'bin', 'python'), ['-c', probe], { env: { ...env, PYTHONPATH: join(work, target) } });
  return stdout.trim();
}

describe('EDGE-PKG-8: pip install from an Edge', () => {
  it('EDGE-PKG-8, EDGE-PKG-6, EDGE-PKG-7, EDGE-PKG-2: a wheel and its dependency, by a name that is not normalized; the dependency the user may not read is not offered', async () => {
    const out = await install('Edgeproof.App', 'app', 'import edgeproof_app, edgeproof_dep; print(edgeproof_app.VERSION, edgeproof_dep.VERSION)');
    expect(out).toBe('1.0 1.0');
  }, 120_000);

  it('EDGE-PKG-8, EDGE-PKG-6: an sdist, built by pip, and its dependency', async () => {
    const out = await install('edgeproof-tool==0.3', 'tool', 'import edgeproof_tool, edgeproof_dep; print(edgeproof_tool.VERSION, edgeproof_dep.VERSION)');
    expect(out).toBe('0.3 1.0');
  }, 120_000);
});
