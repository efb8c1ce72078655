import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdgeError } from '../errors.ts';
import { parseItemUrl } from '../paths.ts';
import { itemPropertiesJson, matrixParams, parsePropertiesParam, propertiesParam, type Properties } from './properties.ts';

/** Fixed, so a failure replays; fast-check prints it with the counterexample's path. */
const SEED = 16;

// Keys avoid what Artifactory forbids in them (jfrog-compat.md §1.6); values may hold anything,
// the separators and the escape character included.
const key = fc.stringMatching(/^[a-z][a-z0-9._:-]{0,11}$/);
const value = fc.string({ unit: fc.constantFrom('a', 'b', ',', '|', ';', '=', '\\', ' ', 'é', '/', '%'), maxLength: 8 });
const properties: fc.Arbitrary<Properties> = fc.dictionary(key, fc.array(value, { minLength: 1, maxLength: 3 }), { minKeys: 1, maxKeys: 4 });

describe(`properties on the wire (jfrog-compat.md §1.6; seed ${SEED})`, () => {
  it('?properties= written by propertiesParam reads back the same, escapes and all', () => {
    fc.assert(
      fc.property(properties, (props) => {
        expect(parsePropertiesParam(propertiesParam(props))).toEqual(props);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('matrix parameters written by matrixParams read back from a deploy URL as the same properties', () => {
    fc.assert(
      fc.property(
        properties.filter((props) => Object.values(props).every((values) => values.every((v) => !v.includes('\0')))),
        (props) => {
          expect(parseItemUrl(`/libs/dir/a.txt${matrixParams(props)}`).matrix).toEqual(props);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('answers the named properties only, and 404 "No properties could be found." when none is left', () => {
    const all = { a: ['1'], b: ['2', '3'] };
    expect(itemPropertiesJson(all, undefined, 'u')).toEqual({ properties: all, uri: 'u' });
    expect(itemPropertiesJson(all, 'b,zz', 'u')).toEqual({ properties: { b: ['2', '3'] }, uri: 'u' });
    expect(() => itemPropertiesJson(all, 'zz', 'u')).toThrow(new EdgeError('NOT_FOUND', 'No properties could be found.'));
  });
});
