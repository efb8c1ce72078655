import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdgeError } from '../../protocol/errors.ts';
import { matches, wildcardMatch } from './aql/match.ts';
import { parseAql } from './aql/parse.ts';
import type { FileItem } from './state.ts';

/** The meaning of `$match` written the obvious way: `*` → `.*`, `?` → `.`, the rest literal. */
function referenceRegex(pattern: string): RegExp {
  const body = Array.from(pattern)
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'su');
}

// Few distinct characters, so patterns and names meet often; regex metacharacters, a separator,
// a newline and an astral character check escaping and "one character" for '?'.
const CHARS = ['a', 'b', '.', '/', '-', '(', '[', '\\', '$', '^', '+', '\n', '😀', '*', '?'];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((cs) => cs.join(''));
/** A file name: any of the characters but the separator. */
const fileName = fc.array(fc.constantFrom(...CHARS.filter((c) => c !== '/')), { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));
const patternChar = fc.constantFrom(...CHARS, '*', '*', '?');
const pattern = fc.array(patternChar, { maxLength: 10 }).map((cs) => cs.join(''));

/** A pattern made from the name itself, some characters turned into wildcards: mostly matches. */
const nameAndDerivedPattern = text.chain((name) =>
  fc.array(fc.constantFrom('keep', 'star', 'question', 'drop'), { minLength: Array.from(name).length, maxLength: Array.from(name).length }).map((edits) => {
    const derived = Array.from(name)
      .map((c, i) => ({ keep: c, star: '*', question: '?', drop: '' })[edits[i] ?? 'keep'])
      .join('');
    return { name, pattern: derived };
  }),
);

describe('AQL $match: the wildcard matcher agrees with a reference regex', () => {
  it('for random names and patterns', () => {
    fc.assert(
      fc.property(text, pattern, (name, p) => {
        expect(wildcardMatch(p, name)).toBe(referenceRegex(p).test(name));
      }),
      { numRuns: 5000 },
    );
  });

  it('for patterns derived from the name (mostly matching)', () => {
    fc.assert(
      fc.property(nameAndDerivedPattern, ({ name, pattern: p }) => {
        expect(wildcardMatch(p, name)).toBe(referenceRegex(p).test(name));
      }),
      { numRuns: 5000 },
    );
  });

  it('on worked examples', () => {
    expect(wildcardMatch('*.jar', 'app-1.0.jar')).toBe(true);
    expect(wildcardMatch('*.jar', 'app.jar.sha1')).toBe(false);
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a?c', 'ac')).toBe(false);
    expect(wildcardMatch('?', '😀')).toBe(true);
    expect(wildcardMatch('', '')).toBe(true);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('A*', 'abc')).toBe(false);
    // Linear work where a backtracking regex would take long.
    expect(wildcardMatch(`${'*a'.repeat(30)}b`, 'a'.repeat(5000))).toBe(false);
  });
});

/** A criteria tree over `name` and a property, and what it should select, computed directly. */
type Tree = { op: '$and' | '$or'; children: Tree[] } | { field: 'name' | '@tag'; op: '$eq' | '$ne' | '$match' | '$nmatch'; value: string };

const leaf: fc.Arbitrary<Tree> = fc.record({
  field: fc.constantFrom('name' as const, '@tag' as const),
  op: fc.constantFrom('$eq' as const, '$ne' as const, '$match' as const, '$nmatch' as const),
  value: fc.oneof(text, pattern),
});
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ op: fc.constantFrom('$and' as const, '$or' as const), children: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
  ),
})).tree;

function toAql(node: Tree): unknown {
  return 'children' in node ? { [node.op]: node.children.map(toAql) } : { [node.field]: { [node.op]: node.value } };
}

function expected(node: Tree, name: string, tags: string[]): boolean {
  if ('children' in node) return node.op === '$and' ? node.children.every((c) => expected(c, name, tags)) : node.children.some((c) => expected(c, name, tags));
  const test = (value: string) => (node.op === '$eq' || node.op === '$ne' ? value === node.value : referenceRegex(node.value).test(value));
  const positive = node.field === 'name' ? test(name) : tags.some(test);
  return node.op === '$eq' || node.op === '$match' ? positive : !positive;
}

function fileNamed(name: string, tags: string[]): FileItem {
  return {
    kind: 'file',
    repo: 'libs',
    path: `dir/${name}`,
    bytes: Buffer.alloc(0),
    size: 0,
    checksums: { sha256: '', sha1: '', md5: '' },
    mimeType: 'application/octet-stream',
    created: 0,
    modified: 0,
    createdBy: 'admin',
    modifiedBy: 'admin',
    properties: tags.length ? { tag: tags } : {},
  };
}

describe('AQL criteria: parsed queries select what the criteria say', () => {
  it('for random trees of $and/$or over $eq/$ne/$match/$nmatch on a field and a property', () => {
    fc.assert(
      fc.property(tree, fileName, fc.array(text, { maxLength: 3 }), (criteria, name, tags) => {
        const query = parseAql(`items.find(${JSON.stringify(toAql(criteria))})`);
        expect(matches(fileNamed(name, tags), query.criteria)).toBe(expected(criteria, name, tags));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('AQL parser: any input is a query or a 400, never a crash', () => {
  const valid =
    'items.find({"$or":[{"name":{"$match":"*.jar"}},{"@build.number":{"$gt":"5"}}]}).include("name","@").sort({"$asc":["name"]}).offset(1).limit(2)';
  const mutated = fc
    .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 8 }), fc.string({ maxLength: 6 }))
    .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut));

  it('for random strings and for mutations of a valid query', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), mutated), (source) => {
        try {
          parseAql(source);
        } catch (error) {
          expect(error).toBeInstanceOf(EdgeError);
          expect((error as EdgeError).status).toBe(400);
          expect((error as EdgeError).message).toMatch(/^AQL: .+ \(at character \d+\)\.$/s);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('EDGE-IN-7: property keys named like Object.prototype members', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'EDGE-IN-7: "@%s" matches only an item that has the key, and never crashes',
    (key) => {
      const without = fileNamed('a.txt', []);
      const withKey = { ...fileNamed('a.txt', []), properties: JSON.parse(`{${JSON.stringify(key)}: ["v"]}`) };
      for (const op of ['$eq', '$ne', '$match', '$nmatch']) {
        const query = parseAql(`items.find({${JSON.stringify(`@${key}`)}: {${JSON.stringify(op)}: "v"}})`);
        const positive = op === '$eq' || op === '$match';
        expect(matches(without, query.criteria), `${op} without`).toBe(!positive);
        expect(matches(withKey, query.criteria), `${op} with`).toBe(positive);
      }
    },
  );
});
