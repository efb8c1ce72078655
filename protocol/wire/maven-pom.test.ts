import { describe, expect, it } from 'vitest';
import { pomPathMismatch, readPom } from './maven-pom.ts';

const PATH = 'org/example/lib/1.0/lib-1.0.pom';

describe('POM admission checks (EDGE-MVN-7)', () => {
  it('EDGE-MVN-7: a POM of the artifact its path names passes, its groupId and version inherited from parent when absent', () => {
    const own = readPom(
      '<project xmlns="http://maven.apache.org/POM/4.0.0"><groupId>org.example</groupId><artifactId>lib</artifactId><version>1.0</version></project>',
    );
    expect(own).toEqual({ coordinates: { groupId: 'org.example', artifactId: 'lib', version: '1.0' } });
    const inherited = readPom(
      '<project><parent><groupId>org.example</groupId><artifactId>parent</artifactId><version>1.0</version></parent><artifactId> lib </artifactId></project>',
    );
    expect(inherited).toEqual({ coordinates: { groupId: 'org.example', artifactId: 'lib', version: '1.0' } });
    for (const read of [own, inherited]) if ('coordinates' in read) expect(pomPathMismatch(PATH, read.coordinates)).toBeUndefined();
  });

  it('EDGE-MVN-7: not well-formed, another root, missing or other coordinates, or a path outside the layout are named', () => {
    expect(readPom('<project><groupId>x</project>')).toEqual({ invalid: expect.stringMatching(/^not well-formed XML/) });
    expect(readPom('')).toEqual({ invalid: expect.stringMatching(/^not well-formed XML|missing/) });
    expect(readPom('<metadata/>')).toEqual({ invalid: "its root element is 'metadata', not 'project'" });
    expect(pomPathMismatch(PATH, { groupId: 'org.example', artifactId: 'other', version: '1.0' })).toBe(
      "its artifactId 'other' is not 'lib', as its path says",
    );
    expect(pomPathMismatch(PATH, { groupId: 'org.example', artifactId: 'lib' })).toBe('it declares no version');
    expect(pomPathMismatch('lib/1.0/lib-1.0.pom', { groupId: 'lib', artifactId: 'lib', version: '1.0' })).toMatch(/not at/);
  });

  it('EDGE-MVN-7: a coordinate still holding a property reference is let through (it needs the model builder)', () => {
    expect(pomPathMismatch(PATH, { groupId: 'org.example', artifactId: 'lib', version: ['$', '{revision}'].join('') })).toBeUndefined();
  });
});
