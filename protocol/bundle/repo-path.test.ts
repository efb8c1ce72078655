import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_KEY_PATTERN, repoPathProblem } from './repo-path.ts';

// --- grammar of clean paths ---------------------------------------------------------------
const repoKey = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/);
const safeUnit = fc.constantFrom(
  ...'abcXYZ019-_.~ +@()[]!,;='.split(''),
  'é',
  '日',
  '€',
  '😀', // a surrogate pair, which is well-formed
);
const cleanSegment = fc.string({ unit: safeUnit, minLength: 1, maxLength: 24 }).filter((segment) => segment !== '.' && segment !== '..');
const cleanSegments = fc.array(cleanSegment, { minLength: 1, maxLength: 8 });
const cleanPath = fc.tuple(repoKey, cleanSegments).map(([key, rest]) => [key, ...rest].join('/'));

// --- grammar of hostile paths: a clean path with exactly one defect -----------------------
const controlCharacter = fc
  .oneof(fc.integer({ min: 0x00, max: 0x1f }), fc.constant(0x7f), fc.integer({ min: 0x80, max: 0x9f }))
  .map((code) => String.fromCharCode(code));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const encodedSeparator = fc.constantFrom('%2e', '%2E', '%2f', '%2F', '%5c', '%5C', '%00');
const badCharacter = fc.oneof(controlCharacter, loneSurrogate, encodedSeparator, fc.constant('\\'));
const badSegment = fc.constantFrom('', '.', '..');
const badRepoKey = fc.oneof(
  fc.tuple(fc.constantFrom('.', '-', '_'), repoKey).map(([first, key]) => first + key),
  fc.tuple(repoKey, fc.constantFrom('~', ' ', 'é', '@', ':')).map(([key, char]) => key + char),
  fc.constant('a'.repeat(65)),
);
const overlongSegment = fc.constantFrom('a'.repeat(256), 'é'.repeat(128), '😀'.repeat(64));

type Defect = (key: string, rest: string[]) => string;
const defect: fc.Arbitrary<Defect> = fc.oneof(
  fc.tuple(badSegment, fc.nat()).map(
    ([bad, at]): Defect =>
      (key, rest) => {
        const segments = [...rest];
        segments.splice(at % (segments.length + 1), 0, bad);
        return [key, ...segments].join('/');
      },
  ),
  fc.tuple(badCharacter, fc.nat(), fc.nat()).map(
    ([bad, which, at]): Defect =>
      (key, rest) => {
        const segments = [key, ...rest];
        const index = which % segments.length;
        const segment = segments[index] ?? '';
        const cut = at % (segment.length + 1);
        segments[index] = segment.slice(0, cut) + bad + segment.slice(cut);
        return segments.join('/');
      },
  ),
  badRepoKey.map(
    (bad): Defect =>
      (_key, rest) =>
        [bad, ...rest].join('/'),
  ),
  overlongSegment.map(
    (long): Defect =>
      (key, rest) =>
        [key, ...rest, long].join('/'),
  ),
  fc.constant<Defect>((key, rest) => `/${[key, ...rest].join('/')}`),
  fc.constant<Defect>((key, rest) => `${[key, ...rest].join('/')}/`),
  fc.constant<Defect>((key) => key),
  // Over 1024 bytes in total while every segment stays within 255.
  fc.constant<Defect>((key, rest) => [key, ...rest, ...Array<string>(5).fill('b'.repeat(250))].join('/')),
);
const hostilePath = fc.tuple(repoKey, cleanSegments, defect).map(([key, rest, spoil]) => spoil(key, rest));

describe('repoPathProblem (EDP-SIG-14, EDP-SIG-15, EDP-SIG-16)', () => {
  it('accepts every clean <repo>/<path>', () => {
    fc.assert(
      fc.property(cleanPath, (path) => {
        expect(repoPathProblem(path)).toBeUndefined();
      }),
    );
  });

  it('rejects every path with one hostile defect', () => {
    fc.assert(
      fc.property(hostilePath, (path) => {
        expect(repoPathProblem(path)).toBeTypeOf('string');
      }),
    );
  });

  it.each([
    ['empty', '', 'is empty'],
    ['absolute', '/libs-local/a.jar', 'starts with "/" (must be relative)'],
    ['dot-dot', 'libs-local/a/../b.jar', 'has a ".." segment 3'],
    ['dot', 'libs-local/./a.jar', 'has a "." segment 2'],
    ['double slash', 'libs-local//a.jar', 'has an empty segment 2'],
    ['trailing slash', 'libs-local/a/', 'has an empty segment 3'],
    ['repo only', 'libs-local', 'has no path after the repository key'],
    ['backslash', 'libs-local/a\\b.jar', 'contains a backslash'],
    ['NUL', 'libs-local/a\u0000.jar', 'contains the control character U+0000'],
    ['newline', 'libs-local/a\n.jar', 'contains the control character U+000A'],
    ['DEL', 'libs-local/a\u007f.jar', 'contains the control character U+007F'],
    ['C1 control', 'libs-local/a\u0085.jar', 'contains the control character U+0085'],
    ['lone surrogate', 'libs-local/a\ud800.jar', 'is not well-formed Unicode (lone surrogate)'],
    ['%2e', 'libs-local/%2e%2e/a.jar', 'contains the percent-encoded "%2e"'],
    ['%2F', 'libs-local/a%2Fb.jar', 'contains the percent-encoded "%2F"'],
    ['%5C', 'libs-local/a%5Cb.jar', 'contains the percent-encoded "%5C"'],
    ['%00', 'libs-local/a%00.jar', 'contains the percent-encoded "%00"'],
    ['repo key with a leading dot', '.hidden/a.jar', `has the repository key ".hidden", which does not match ${REPO_KEY_PATTERN}`],
    ['repo key of 65 characters', `${'r'.repeat(65)}/a.jar`, `has the repository key "${'r'.repeat(65)}", which does not match ${REPO_KEY_PATTERN}`],
    ['segment of 256 UTF-8 bytes in 128 characters', `libs-local/${'é'.repeat(128)}`, 'has a segment 2 of 256 bytes, over the limit of 255'],
    ['path of 1265 bytes', `libs-local/${Array<string>(5).fill('b'.repeat(250)).join('/')}`, 'is 1265 bytes long, over the limit of 1024'],
  ])('describes a path that is %s', (_label, path, problem) => {
    expect(repoPathProblem(path)).toBe(problem);
  });

  it.each([
    'libs-local/a.jar',
    'a/b',
    `${'r'.repeat(64)}/${'s'.repeat(255)}`,
    'libs-local/.well-known/..hidden/a..b/...',
    'libs-local/100%25/a%20b.jar',
    'docker-local/acme/app/sha256:0123/manifest.json',
  ])('accepts %j', (path) => {
    expect(repoPathProblem(path)).toBeUndefined();
  });
});
