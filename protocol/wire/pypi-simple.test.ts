import { describe, expect, it } from 'vitest';
import { negotiateSimpleFormat, normalizeProjectName, parseDistributionName, PYPI_SIMPLE_JSON, projectPageHtml } from './pypi-simple.ts';

describe('EDGE-PKG-6, EDGE-PKG-7: the simple index, pure', () => {
  it('EDGE-PKG-7: PEP 503 normalization', () => {
    expect(['Foo.Bar', 'foo__bar', 'FOO-_-.bar', 'foo-bar'].map(normalizeProjectName)).toEqual(['foo-bar', 'foo-bar', 'foo-bar', 'foo-bar']);
  });

  it('EDGE-PKG-6: wheel and sdist names give project and version; other files none', () => {
    expect(parseDistributionName('my_pkg-1.0.post1-py3-none-any.whl')).toEqual({ project: 'my_pkg', version: '1.0.post1', kind: 'wheel' });
    expect(parseDistributionName('my_pkg-2.0-1-cp311-cp311-manylinux_2_17_x86_64.whl')).toEqual({ project: 'my_pkg', version: '2.0', kind: 'wheel' });
    expect(parseDistributionName('my-legacy-pkg-0.3.tar.gz')).toEqual({ project: 'my-legacy-pkg', version: '0.3', kind: 'sdist' });
    expect(parseDistributionName('pkg-1.0.zip')).toEqual({ project: 'pkg', version: '1.0', kind: 'sdist' });
    for (const other of ['README.txt', 'pkg.tar.gz', 'pkg-1.0.whl', 'notes-v1.tar.gz']) expect(parseDistributionName(other), other).toBeUndefined();
  });

  it("EDGE-PKG-6: pip's Accept gets JSON; HTML when nothing or neither is asked for", () => {
    const pip = `${PYPI_SIMPLE_JSON}, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01`;
    expect(negotiateSimpleFormat(pip).format).toBe('json');
    expect(negotiateSimpleFormat(`text/html, ${PYPI_SIMPLE_JSON}; q=0.5`).format).toBe('html');
    expect(negotiateSimpleFormat(undefined).format).toBe('html');
    expect(negotiateSimpleFormat('image/png').format).toBe('html');
    expect(negotiateSimpleFormat(`${PYPI_SIMPLE_JSON}; q=0`).format).toBe('html');
  });

  it('EDGE-PKG-6: names in pages are escaped', () => {
    const html = projectPageHtml('x', [{ filename: 'a"<b>-1.0.tar.gz', url: '../../packages/a%22.tar.gz', sha256: 'ab' }]);
    expect(html).toContain('>a&#34;&#60;b&#62;-1.0.tar.gz</a>');
    expect(html).toContain('href="../../packages/a%22.tar.gz#sha256=ab"');
  });
});
