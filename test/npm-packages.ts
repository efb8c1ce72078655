import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, type BuiltFile } from './python-packages.ts';

/** npm packages the tests pack on the spot with the real `npm pack`. */

export interface NpmProject {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

/** Artifactory's path of a tarball in an npm repository: `<name>/-/<name>-<version>.tgz`, scoped ones too. */
export function tarballPath(project: NpmProject): string {
  return `${project.name}/-/${project.name}-${project.version}.tgz`;
}

/** Packs `project` (an `index.js` exporting its version) under `dir`. */
export async function packNpm(dir: string, project: NpmProject): Promise<BuiltFile> {
  const root = join(dir, project.name.replace('/', '__'));
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify({ ...project, main: 'index.js', license: 'Apache-2.0' }, null, 2));
  await writeFile(join(root, 'index.js'), `module.exports = ${JSON.stringify(project.version)};\n`);
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, env: { ...process.env, npm_config_loglevel: 'silent' } });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  const filename = (packed as { filename: string }).filename;
  return { filename, bytes: await readFile(join(dir, filename)) };
}
