import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Python packages the tests build on the spot from a few lines of source, with the stdlib-only
 * PEP 517 backend in fixtures/packages/pypi (no setuptools, wheel or index needed).
 */

export const run = promisify(execFile);

const BACKEND = join(import.meta.dirname, '..', 'fixtures', 'packages', 'pypi', 'edgeproof_build.py');

export interface PythonProject {
  /** As the project spells it (normalization is the index's business). */
  name: string;
  version: string;
  dependencies?: string[];
}

export interface BuiltFile {
  filename: string;
  bytes: Buffer;
}

const moduleOf = (name: string) => name.replace(/[-_.]+/g, '_').toLowerCase();

/** Writes the project's sources under `dir`: a module whose `VERSION` is the version. */
async function writeProject(dir: string, project: PythonProject): Promise<string> {
  const root = join(dir, `${moduleOf(project.name)}-src`);
  await mkdir(join(root, moduleOf(project.name)), { recursive: true });
  const deps = (project.dependencies ?? []).map((d) => JSON.stringify(d)).join(', ');
  await writeFile(
    join(root, 'pyproject.toml'),
    `[build-system]\nrequires = []\nbuild-backend = "edgeproof_build"\nbackend-path = ["."]\n\n[project]\nname = "${project.name}"\nversion = "${project.version}"\ndependencies = [${deps}]\n`,
  );
  await writeFile(join(root, moduleOf(project.name), '__init__.py'), `VERSION = ${JSON.stringify(project.version)}\n`);
  await copyFile(BACKEND, join(root, 'edgeproof_build.py'));
  return root;
}

/** Builds a wheel (`kind: 'wheel'`) or an sdist of `project` in `dir`. */
export async function buildPython(dir: string, project: PythonProject, kind: 'wheel' | 'sdist'): Promise<BuiltFile> {
  const root = await writeProject(dir, project);
  const out = join(dir, 'dist');
  await mkdir(out, { recursive: true });
  const hook = kind === 'wheel' ? 'build_wheel' : 'build_sdist';
  const { stdout } = await run('python3', ['-c', `import sys, edgeproof_build as b; print(b.${hook}(sys.argv[1]))`, out], { cwd: root });
  const filename = stdout.trim();
  return { filename, bytes: await readFile(join(out, filename)) };
}
