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

  describe('EDGE-IN-7: keys named like Object.prototype members are ordinary own keys', () => {
    const KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

    it.each(KEYS)('EDGE-IN-7: parsePropertiesParam("%s=1,2") has it as an own key', (name) => {
      const props = parsePropertiesParam(`${name}=1,2|${name}=3`);
      expect(Object.keys(props)).toEqual([name]);
      expect(Object.hasOwn(props, name)).toBe(true);
      expect(props[name]).toEqual(['1', '2', '3']);
      expect(JSON.parse(JSON.stringify(props))).toEqual({ [name]: ['1', '2', '3'] });
    });

    it.each(KEYS)('EDGE-IN-7: a matrix parameter ;%s=1 is an own key of the matrix', (name) => {
      const { matrix } = parseItemUrl(`/uploads/a;${name}=1;${name}=2`);
      expect(Object.keys(matrix)).toEqual([name]);
      expect(Object.hasOwn(matrix, name)).toBe(true);
      expect(matrix[name]).toEqual(['1', '2']);
    });

    it('EDGE-IN-7: __proto__ never changes a prototype, and the JSON answer keeps every key', () => {
      const props = parsePropertiesParam('__proto__=x|a=1');
      expect(Object.getPrototypeOf(props)).toBe(null);
      expect(Object.keys(props)).toEqual(['__proto__', 'a']);
      expect(parsePropertiesParam(propertiesParam(props))).toEqual(props);
      const answer = itemPropertiesJson(props, undefined, 'u');
      expect(JSON.parse(JSON.stringify(answer))).toEqual(JSON.parse('{"properties":{"__proto__":["x"],"a":["1"]},"uri":"u"}'));
      expect(itemPropertiesJson(props, '__proto__', 'u').properties).toEqual(JSON.parse('{"__proto__":["x"]}'));
      expect(() => itemPropertiesJson(parsePropertiesParam('a=1'), 'constructor', 'u')).toThrow(EdgeError);
    });
  });
});
