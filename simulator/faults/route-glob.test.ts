import { describe, expect, it } from 'vitest';
import { compileRouteGlob } from './route-glob.ts';

describe('compileRouteGlob', () => {
  it.each([
    ['/api/**', '/api', true],
    ['/api/**', '/api/', true],
    ['/api/**', '/api/a/b', true],
    ['/api/**', '/apix', false],
    ['/a/*/c', '/a/b/c', true],
    ['/a/*/c', '/a/b/x/c', false],
    ['/a/*/c', '/a//c', true],
    ['/a/**/c', '/a/c', true],
    ['/a/**/c', '/a/b/x/c', true],
    ['/files/*.jar', '/files/lib.jar', true],
    ['/files/*.jar', '/files/libxjar', false],
    ['**', '/anything/at/all', true],
    ['**/*.sha256', '/repo/dir/file.sha256', true],
    ['/exact', '/exact', true],
    ['/exact', '/exact/', false],
    ['/a+(b)', '/a+(b)', true],
  ])('%s on %s → %s', (glob, path, expected) => {
    expect(compileRouteGlob(glob)(path)).toBe(expected);
  });
});
