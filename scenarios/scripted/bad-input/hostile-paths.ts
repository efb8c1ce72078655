import { baseline, expectRefusedUnchanged, expectStatus } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { ITEM_ROUTES, itemWorld } from './item-world.ts';

/**
 * EDGE-IN-1, EDGE-IN-2, EDGE-IN-4: a hostile item path is refused with 400 BAD_PATH naming the
 * problem on every route that takes one, and changes nothing. Paths go on the wire exactly as
 * written (`t.http` does not normalise), so the Edge must judge the raw URL.
 */

export const LONG_NAME = 'n'.repeat(256);
/** A name of 256 bytes in 128 two-byte characters. */
export const LONG_UTF8_NAME = '%C3%A9'.repeat(128);

/** A hostile path, relative to the repository root; `inside` puts it in the scenario's folder, next to its files. */
interface Hostile {
  id: string;
  requirement: 'EDGE-IN-1' | 'EDGE-IN-2' | 'EDGE-IN-4';
  family: string;
  path: (folder: string) => string;
  message: RegExp;
  /** A load balancer in front refuses this path itself (the cluster target's nginx). */
  proxyRefuses?: true;
}

/** What an undecodable path's refusal says. */
export const UNDECODABLE = /percent-encoding|could not be decoded/;

const inside = (rest: string) => (folder: string) => `${folder}/${rest}`;
const atRoot = (path: string) => () => path;

export const HOSTILE_PATHS: readonly Hostile[] = [
  { id: 'dot-dot-segment', requirement: 'EDGE-IN-1', family: "a '..' segment", path: inside('dir/../dir/a.txt'), message: /'\.\.'/ },
  {
    id: 'dot-dot-leaving-the-repository',
    requirement: 'EDGE-IN-1',
    family: "'..' leaving the repository",
    path: atRoot('../../../../etc/passwd'),
    message: /'\.\.'/,
    proxyRefuses: true,
  },
  { id: 'trailing-dot-dot', requirement: 'EDGE-IN-1', family: "a trailing '..'", path: inside('dir/sub/..'), message: /'\.\.'/ },
  { id: 'dot-segment', requirement: 'EDGE-IN-1', family: "a '.' segment", path: inside('dir/./a.txt'), message: /'\.'/ },
  { id: 'empty-segment', requirement: 'EDGE-IN-1', family: 'an empty segment', path: inside('dir//a.txt'), message: /empty/ },
  { id: 'leading-empty-segment', requirement: 'EDGE-IN-1', family: 'a leading empty segment', path: (f) => `/${f}/dir/a.txt`, message: /empty/ },
  { id: 'backslash', requirement: 'EDGE-IN-1', family: 'a backslash', path: inside('dir\\a.txt'), message: /backslash/ },
  { id: 'backslash-traversal', requirement: 'EDGE-IN-1', family: 'a backslash traversal', path: atRoot('..\\..\\etc\\passwd'), message: /backslash|'\.\.'/ },
  { id: 'nul', requirement: 'EDGE-IN-1', family: 'a NUL (%00)', path: inside('dir/a.txt%00.jpg'), message: /%00|NUL/, proxyRefuses: true },
  { id: 'control-character-01', requirement: 'EDGE-IN-1', family: 'control character %01', path: inside('dir/a%01.txt'), message: /control/ },
  { id: 'control-character-1f', requirement: 'EDGE-IN-1', family: 'control character %1f', path: inside('dir/%1f'), message: /control/ },
  { id: 'del-7f', requirement: 'EDGE-IN-1', family: 'DEL (%7f)', path: inside('dir/a%7f.txt'), message: /control/ },
  { id: 'name-of-256-bytes', requirement: 'EDGE-IN-1', family: 'a name of 256 bytes', path: inside(`dir/${LONG_NAME}`), message: /255 bytes/ },
  {
    id: 'name-of-256-bytes-in-two-byte-characters',
    requirement: 'EDGE-IN-1',
    family: 'a name of 256 bytes in 128 two-byte characters',
    path: inside(`dir/${LONG_UTF8_NAME}`),
    message: /255 bytes/,
  },
  { id: 'encoded-dot-dot', requirement: 'EDGE-IN-2', family: 'an encoded dot-dot %2e%2e', path: inside('dir/%2e%2e/dir/a.txt'), message: /%2e/i },
  {
    id: 'encoded-dot-dot-upper-case',
    requirement: 'EDGE-IN-2',
    family: 'an encoded dot-dot %2E%2E',
    path: atRoot('%2E%2E/%2E%2E/etc/passwd'),
    message: /%2e/i,
  },
  { id: 'half-encoded-dot-dot', requirement: 'EDGE-IN-2', family: 'a half-encoded dot-dot .%2e', path: inside('dir/.%2e/dir/a.txt'), message: /%2e/i },
  { id: 'encoded-dot', requirement: 'EDGE-IN-2', family: 'an encoded dot %2E', path: inside('dir/%2E/a.txt'), message: /%2e/i },
  { id: 'encoded-slash', requirement: 'EDGE-IN-2', family: 'an encoded slash %2f', path: inside('dir%2fa.txt'), message: /%2f/i },
  {
    id: 'encoded-slash-traversal',
    requirement: 'EDGE-IN-2',
    family: 'an encoded slash %2F with traversal',
    path: atRoot('..%2F..%2Fetc%2Fpasswd'),
    message: /%2f|'\.\.'/i,
  },
  { id: 'encoded-backslash', requirement: 'EDGE-IN-2', family: 'an encoded backslash %5c', path: inside('dir%5ca.txt'), message: /%5c/i },
  { id: 'encoded-backslash-upper-case', requirement: 'EDGE-IN-2', family: 'an encoded backslash %5C', path: inside('dir%5Ca.txt'), message: /%5c/i },
  { id: 'encoded-nul', requirement: 'EDGE-IN-2', family: 'an encoded NUL %00 alone', path: inside('dir/%00'), message: /%00|NUL/, proxyRefuses: true },
  {
    id: 'malformed-percent-encoding',
    requirement: 'EDGE-IN-2',
    family: 'malformed %zz',
    path: inside('dir/a%zz.txt'),
    message: UNDECODABLE,
    proxyRefuses: true,
  },
  {
    id: 'truncated-percent-encoding',
    requirement: 'EDGE-IN-2',
    family: 'a truncated %e',
    path: inside('dir/a%e'),
    message: UNDECODABLE,
    proxyRefuses: true,
  },
  {
    id: 'invalid-utf8',
    requirement: 'EDGE-IN-2',
    family: 'invalid UTF-8 %e0%80',
    path: inside('dir/%e0%80'),
    message: UNDECODABLE,
  },
  {
    id: 'overlong-utf8-dot',
    requirement: 'EDGE-IN-2',
    family: 'overlong UTF-8 dots %c0%ae%c0%ae',
    path: atRoot('%c0%ae%c0%ae/etc/passwd'),
    message: UNDECODABLE,
  },
  {
    id: 'path-over-1024-characters',
    requirement: 'EDGE-IN-4',
    family: 'a path over 1024 characters, every name short',
    path: inside(`${`${'d'.repeat(200)}/`.repeat(6)}f.txt`),
    message: /1024/,
  },
];

const onEveryRoute = HOSTILE_PATHS.map((hostile) =>
  scenario({
    id: `bad-input/${hostile.id}`,
    title: `${hostile.family} in an item path is refused with 400 BAD_PATH naming the problem on every item route, and nothing changes`,
    requirements: [hostile.requirement],
    ...(hostile.proxyRefuses ? { needs: ['direct-requests' as const] } : {}),
    async run(t) {
      const folder = await itemWorld(t);
      const unchanged = await baseline(t);
      for (const route of ITEM_ROUTES) {
        await t.step(route.name, () => unchanged.refused(() => route.send(t, `${UPLOADS}/${hostile.path(folder)}`, folder), 400, 'BAD_PATH', hostile.message));
      }
    },
  }),
);

/** Folders of 250-character names under `prefix`, then one name that brings the path to `length` characters. */
function pathOfLength(prefix: string, length: number): string {
  let path = prefix;
  while (length - path.length > 255) path += `${'p'.repeat(250)}/`;
  const last = length - path.length;
  if (last < 1) throw new Error(`no path of ${length} characters under ${prefix}`);
  return `${path}${'f'.repeat(last)}`;
}

const boundaries = [
  scenario({
    id: 'bad-input/name-of-255-bytes-accepted',
    title: 'a name of exactly 255 bytes is accepted, in one-byte and in two-byte characters (boundary)',
    requirements: ['EDGE-IN-1'],
    async run(t) {
      const folder = await itemWorld(t);
      await expectStatus(t.http('PUT', `/artifactory/${UPLOADS}/${folder}/limits/${'n'.repeat(255)}`, { body: 'x' }), 201);
      await expectStatus(t.http('PUT', `/artifactory/${UPLOADS}/${folder}/limits/${'%C3%A9'.repeat(127)}x`, { body: 'x' }), 201);
    },
  }),
  scenario({
    id: 'bad-input/path-of-1024-characters-accepted',
    title: 'an item path of exactly 1024 characters is accepted, and one of 1025 refused (boundary)',
    requirements: ['EDGE-IN-4'],
    async run(t) {
      const folder = await itemWorld(t);
      const exact = pathOfLength(`${folder}/limits/`, 1024);
      expect(exact).toHaveLength(1024);
      await expectStatus(t.http('PUT', `/artifactory/${UPLOADS}/${exact}`, { body: 'x' }), 201);
      await expectRefusedUnchanged(t, () => t.http('PUT', `/artifactory/${UPLOADS}/${exact}g`, { body: 'x' }), 400, 'BAD_PATH', /1024/);
    },
  }),
  scenario({
    id: 'bad-input/empty-repository-key',
    title: "an empty repository key ('/artifactory//x') is refused with 400 BAD_PATH, and nothing changes",
    requirements: ['EDGE-IN-1'],
    async run(t) {
      await expectRefusedUnchanged(t, () => t.http('PUT', '/artifactory//dir/a.txt', { body: 'x' }), 400, 'BAD_PATH', /repository key/);
    },
  }),
];

const HOSTILE_TARGETS: { name: string; to: (folder: string) => string }[] = [
  { name: "'..' in the target", to: (f) => `/${UPLOADS}/${f}/../escape.txt` },
  { name: 'an empty segment in the target', to: (f) => `/${UPLOADS}/${f}/a//b.txt` },
  { name: 'a backslash in the target', to: (f) => `/${UPLOADS}/${f}/a%5Cb.txt` },
  { name: 'a NUL in the target', to: (f) => `/${UPLOADS}/${f}/a%00b.txt` },
];

const targets = [
  scenario({
    id: 'bad-input/hostile-copy-and-move-targets',
    title: "copy and move to a target with '..', an empty segment, a backslash or a NUL are refused with 400 BAD_PATH, and nothing changes",
    requirements: ['EDGE-IN-1'],
    async run(t) {
      const folder = await itemWorld(t);
      const unchanged = await baseline(t);
      for (const target of HOSTILE_TARGETS) {
        for (const op of ['copy', 'move']) {
          await t.step(`${op} with ${target.name}`, () =>
            unchanged.refused(
              () => t.http('POST', `/artifactory/api/${op}/${UPLOADS}/${folder}/dir/a.txt?to=${target.to(folder)}`),
              400,
              'BAD_PATH',
              /Invalid path/,
            ),
          );
        }
      }
    },
  }),
];

export const hostilePathScenarios = [...onEveryRoute, ...boundaries, ...targets];
