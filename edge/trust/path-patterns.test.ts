import { describe, expect, it } from 'vitest';
import { antMatch, antMatchStart } from './path-patterns.ts';

describe('EDGE-AUTH-8: Ant patterns of permission targets', () => {
  const MATCH: [string, string, boolean][] = [
    ['**', '', true],
    ['**', 'a/b/c.txt', true],
    ['secret/**', 'secret', true],
    ['secret/**', 'secret/s.txt', true],
    ['secret/**', 'secret/deep/s.txt', true],
    ['secret/**', 'secrets', false],
    ['secret/**', 'pub/secret/s.txt', false],
    ['**/secret/**', 'pub/secret', true],
    ['**/secret/**', 'pub/secret/s.txt', true],
    ['**/secret/**', 'secret/s.txt', true],
    ['**/*.key', 'id.key', true],
    ['**/*.key', 'pub/id.key', true],
    ['**/*.key', 'pub/id.keys', false],
    ['*.txt', 'a.txt', true],
    ['*.txt', 'pub/a.txt', false],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['a.b', 'axb', false],
    ['team/**/x', 'team/x', true],
    ['team/**/x', 'team/1/2/x', true],
  ];
  for (const [pattern, path, expected] of MATCH) {
    it(`EDGE-AUTH-8: '${pattern}' ${expected ? 'matches' : 'does not match'} '${path}'`, () => {
      expect(antMatch(pattern, path)).toBe(expected);
    });
  }

  const START: [string, string, boolean][] = [
    ['team/**', '', true],
    ['team/**', 'team', true],
    ['team/x/**', 'team', true],
    ['team/x/**', 'other', false],
    ['team/x/*.txt', 'team/x', true],
    ['team/x/*.txt', 'team/x/y', false],
    ['team/*/docs/**', 'team/a', true],
    ['**/docs/**', 'any/where', true],
    ['a.txt', 'a.txt', true],
    ['a.txt', 'a', false],
    ['t?am/**', 'team', true],
  ];
  for (const [pattern, folder, expected] of START) {
    it(`EDGE-AUTH-8: '${pattern}' ${expected ? 'may' : 'cannot'} match something in folder '${folder}'`, () => {
      expect(antMatchStart(pattern, folder)).toBe(expected);
    });
  }
});
