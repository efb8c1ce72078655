import { createHash } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildPython } from '../../fixtures/packages/pypi/build.ts';
import { normalizeProjectName, parseDistributionName, projectListHtml, projectPageHtml } from '../../protocol/wire/pypi-simple.ts';
import { type InstallFormat, payload, sh, writeAt } from './kit.ts';

/** PyPI: the wheel `bench-app` requiring `count - 1` library wheels, each carrying `kib` KiB. */
export const pypiFormat: InstallFormat = {
  name: 'pypi',
  packageType: 'pypi',
  commands: ['python3'],
  async build(work, count, kib) {
    const libs = Array.from({ length: count - 1 }, (_, i) => `bench-lib-${i + 1}`);
    const files = [];
    for (const [name, dependencies] of [...libs.map((l) => [l, []] as const), ['bench-app', libs.map((l) => `${l}>=1`)] as const]) {
      const built = await buildPython(join(work, 'pypi-build', name), { name, version: '1.0', dependencies: [...dependencies] }, 'wheel', {
        'data.bin': payload(kib, name),
      });
      files.push({ path: `${name}/1.0/${built.filename}`, bytes: built.bytes });
    }
    await sh('python3', ['-m', 'venv', join(work, 'pypi-venv')]);
    return { files, target: 'bench-app' };
  },
  async layPlain(dir, set, url) {
    // A static simple index (PEP 503) as a mirror lays it out: pages as index.html, files beside.
    const byProject = new Map<string, { filename: string; url: string; sha256: string }[]>();
    for (const file of set.files) {
      await writeAt(dir, `files/${file.path}`, file.bytes);
      const filename = file.path.slice(file.path.lastIndexOf('/') + 1);
      const project = normalizeProjectName(parseDistributionName(filename)?.project ?? filename);
      byProject.set(project, [
        ...(byProject.get(project) ?? []),
        { filename, url: `${url}/files/${file.path}`, sha256: createHash('sha256').update(file.bytes).digest('hex') },
      ]);
    }
    await writeAt(dir, 'simple/index.html', projectListHtml([...byProject.keys()]));
    for (const [project, files] of byProject) await writeAt(dir, `simple/${project}/index.html`, projectPageHtml(project, files));
  },
  async install(work, set, source) {
    const pip = join(work, 'pypi-venv', 'bin', 'pip');
    await access(pip);
    const target = join(work, `pypi-install-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await mkdir(target, { recursive: true });
    const index =
      source.kind === 'edge'
        ? `${source.base.replace('://', `://${encodeURIComponent(source.user)}:${encodeURIComponent(source.password)}@`)}/artifactory/api/pypi/${source.repo}/simple/`
        : `${source.url}/simple/`;
    const env = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_CACHE_DIR: '1', PIP_NO_INPUT: '1' };
    await sh(pip, ['install', '--quiet', '--index-url', index, '--target', target, set.target], { env });
  },
};
