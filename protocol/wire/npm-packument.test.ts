import { describe, expect, it } from 'vitest';
import { latestVersion, manifestOf, packageNameOfPath, packument } from './npm-packument.ts';

describe('EDGE-PKG-3, EDGE-PKG-4: packuments, pure', () => {
  it('EDGE-PKG-3: latest is the highest release; a prerelease only without a release', () => {
    expect(latestVersion(['1.2.0', '1.10.0', '2.0.0-rc.1', '1.9.9'])).toBe('1.10.0');
    expect(latestVersion(['2.0.0-rc.1', '2.0.0-rc.2'])).toBe('2.0.0-rc.2');
    expect(latestVersion([])).toBeUndefined();
  });

  it('EDGE-PKG-3: registry paths name packages, scoped ones in both spellings; tarball paths name none', () => {
    expect(['lodash', '@s%2fname', '@s%2Fname', '@s/name', 'JSONStream'].map(packageNameOfPath)).toEqual([
      'lodash',
      '@s/name',
      '@s/name',
      '@s/name',
      'JSONStream',
    ]);
    for (const other of ['lodash/-/lodash-1.0.0.tgz', '@s/name/-/@s/name-1.0.0.tgz', '.hidden', '%zz', ''])
      expect(packageNameOfPath(other), other).toBeUndefined();
  });

  it('EDGE-PKG-4: package.json without a valid name or semver version is no manifest', () => {
    expect(manifestOf({ name: 'ok', version: '1.0.0' })).toEqual({ manifest: { name: 'ok', version: '1.0.0' } });
    for (const bad of [null, [], 'x', { version: '1.0.0' }, { name: 'ok' }, { name: 'ok', version: 'v1' }, { name: '_x', version: '1.0.0' }]) {
      expect('invalid' in manifestOf(bad), JSON.stringify(bad)).toBe(true);
    }
  });

  it('EDGE-PKG-3: the abbreviated form keeps what installs need, the full one adds _id and time', () => {
    const read = manifestOf({ name: 'p', version: '1.0.0', description: 'd', dependencies: { q: '^1' }, scripts: { postinstall: 'x' } });
    if (!('manifest' in read)) throw new Error('manifest expected');
    const version = { manifest: read.manifest, tarball: 'http://e/p.tgz', sha1: 'aa', sha512: 'bb', published: 0 };
    const short = packument('p', [version], true) as { versions: Record<string, Record<string, unknown>> };
    expect(short.versions['1.0.0']).toEqual({
      name: 'p',
      version: '1.0.0',
      dependencies: { q: '^1' },
      hasInstallScript: true,
      dist: { tarball: 'http://e/p.tgz', shasum: 'aa', integrity: 'sha512-bb' },
    });
    const full = packument('p', [version], false) as { _id: string; time: Record<string, string>; versions: Record<string, Record<string, unknown>> };
    expect(full._id).toBe('p');
    expect(full.versions['1.0.0']).toMatchObject({ _id: 'p@1.0.0', description: 'd' });
    expect(full.time['1.0.0']).toBe('1970-01-01T00:00:00.000Z');
    expect(packument('p', [], true)).toBeUndefined();
  });
});
