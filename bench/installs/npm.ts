import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packNpm, tarballPath, type NpmProject } from '../../fixtures/packages/npm/pack.ts';
import { manifestOf, packument } from '../../protocol/wire/npm-packument.ts';
import { type InstallFormat, type PackageSet, payload, sh, writeAt } from './kit.ts';

const APP = '@bench/app';

/** npm: `@bench/app` depending on `count - 1` libraries, each carrying `kib` KiB. */
export const npmFormat: InstallFormat = {
  name: 'npm',
  packageType: 'npm',
  commands: ['npm'],
  async build(work, count, kib) {
    const libs: NpmProject[] = Array.from({ length: count - 1 }, (_, i) => ({ name: `bench-lib-${i + 1}`, version: '1.0.0' }));
    const app: NpmProject = { name: APP, version: '1.0.0', dependencies: Object.fromEntries(libs.map((l) => [l.name, '^1.0.0'])) };
    const packed = join(work, 'npm-packed');
    await mkdir(packed, { recursive: true });
    const files = [];
    for (const project of [...libs, app]) {
      const { bytes } = await packNpm(packed, project, { 'data.bin': payload(kib, project.name) });
      files.push({ path: tarballPath(project), bytes });
    }
    return { files, target: APP };
  },
  async layPlain(dir, set, url) {
    // A static registry: each name's packument at `<name>/index.json`, tarballs at their paths.
    for (const file of set.files) {
      await writeAt(dir, file.path, file.bytes);
      const name = file.path.slice(0, file.path.indexOf('/-/'));
      const version = file.path.slice(file.path.lastIndexOf('-') + 1, -'.tgz'.length);
      const read = manifestOf({ name, version, ...(name === APP ? { dependencies: dependenciesOf(set) } : {}) });
      if ('invalid' in read) throw new Error(read.invalid);
      const doc = packument(
        name,
        [
          {
            manifest: read.manifest,
            tarball: `${url}/${file.path}`,
            sha1: digest('sha1', file.bytes),
            sha512: digest('sha512', file.bytes, 'base64'),
            published: 0,
          },
        ],
        false,
      );
      await writeAt(dir, `${name}/index.json`, JSON.stringify(doc));
    }
  },
  async install(work, set, source) {
    const dir = join(work, `npm-install-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'bench-consumer', version: '0.0.0', private: true }));
    const registry = source.kind === 'edge' ? `${source.base}/artifactory/api/npm/${source.repo}/` : `${source.url}/`;
    const auth =
      source.kind === 'edge' ? `${registry.replace(/^http:/, '')}:_auth=${Buffer.from(`${source.user}:${source.password}`).toString('base64')}\n` : '';
    await writeFile(join(dir, '.npmrc'), `registry=${registry}\n${auth}`);
    await writeFile(join(dir, 'userrc'), '');
    const env = { ...process.env, npm_config_userconfig: join(dir, 'userrc'), npm_config_cache: join(dir, 'cache'), npm_config_update_notifier: 'false' };
    await sh('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', set.target], { cwd: dir, env });
  },
};

function dependenciesOf(set: PackageSet): Record<string, string> {
  const libs = set.files.map((f) => f.path.slice(0, f.path.indexOf('/-/'))).filter((n) => n !== APP);
  return Object.fromEntries(libs.map((n) => [n, '^1.0.0']));
}

const digest = (algorithm: string, bytes: Buffer, encoding: 'hex' | 'base64' = 'hex') => createHash(algorithm).update(bytes).digest(encoding);
