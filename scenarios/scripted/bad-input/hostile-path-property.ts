import fc from 'fast-check';
import { expectRefusedUnchanged } from '../../kit/assertions.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { LONG_NAME, LONG_UTF8_NAME } from './hostile-paths.ts';
import { ITEM_ROUTES, itemWorld } from './item-world.ts';

/**
 * EDGE-IN-1, EDGE-IN-2, EDGE-IN-7 as a property: any item path with one hostile segment among
 * clean ones, on any item route, is refused with 400 BAD_PATH and changes nothing.
 */

const clean = fc.oneof(fc.constantFrom('dir', 'a.txt', 'sub', 'b.txt'), fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,11}$/));
const infix = fc.constantFrom('%2e', '%2E', '%2f', '%2F', '%5c', '%5C', '%00', '%01', '%1f', '%7f', '%7F', '%zz', '%e0%80', '%c0%ae', '%g1', '\\');
const hostile = fc.oneof(
  fc.constantFrom('..', '.', '', '%2e%2e', '%2E%2E', '.%2e', '%2e.', LONG_NAME, LONG_UTF8_NAME),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{0,4}$/), infix, fc.stringMatching(/^[A-Za-z0-9_-]{0,4}$/)).map(([a, h, b]) => `${a}${h}${b}`),
);
// At least one clean segment after the hostile one, so an empty segment is never a trailing slash.
const path = fc
  .tuple(fc.array(clean, { maxLength: 3 }), hostile, fc.array(clean, { minLength: 1, maxLength: 3 }))
  .map(([before, bad, after]) => [...before, bad, ...after].join('/'));
const route = fc.constantFrom(...ITEM_ROUTES);

export const hostilePathPropertyScenarios = [
  scenario({
    id: 'bad-input/any-hostile-segment',
    title: 'any item path with one hostile segment, on any item route, is refused with 400 BAD_PATH and changes nothing',
    requirements: ['EDGE-IN-1', 'EDGE-IN-2', 'EDGE-IN-7'],
    property: true,
    async run(t) {
      const folder = await itemWorld(t);
      await t.property(
        () =>
          fc.asyncProperty(route, path, async (r, p) => {
            await expectRefusedUnchanged(t, () => r.send(t, `${UPLOADS}/${folder}/${p}`, folder), 400, 'BAD_PATH', /^Invalid path/);
          }),
        ([r, p]) => [`${r.name} ${UPLOADS}/<folder>/${p}`],
      );
    },
  }),
];
