import { expectRefusedAsBefore, expectStatus, snapshot } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, UPLOADS, uploadsStorage as storage } from '../../kit/uploads.ts';
import { libraryTree } from './storage-api.ts';

/** EDGE-ART-10: item properties through the storage API and PATCH /api/metadata. */

type Properties = Record<string, string[]>;

const metadata = (path: string) => `/artifactory/api/metadata/${UPLOADS}/${path}`;

async function propertiesOf(t: ScenarioContext, path: string): Promise<Properties> {
  const res = await expectStatus(t.http('GET', `${storage(path)}?properties`), 200);
  // JSON.parse keeps a `__proto__` key as an own property, as a client reading the answer would.
  return (JSON.parse(res.text) as { properties: Properties }).properties;
}

/** Object.prototype's names, which Artifactory allows as property keys (EDGE-IN-7). */
const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

function expectOwn(props: Properties, expected: Properties): void {
  for (const [key, values] of Object.entries(expected)) {
    expect(Object.hasOwn(props, key), key).toBe(true);
    expect(props[key], key).toEqual(values);
  }
}

export const propertyScenarios = [
  scenario({
    id: 'artifacts/properties-set-and-get',
    title: 'properties set with | and ; separators, escapes and several values read back whole, or only the keys asked for',
    requirements: ['EDGE-ART-10'],
    async run(t) {
      const path = `${await libraryTree(t, 'props')}/top.txt`;
      await expectStatus(t.http('PUT', `${storage(path)}?properties=${encodeURIComponent('a=1,2|b=x\\,y;c=\\|pipe')}`), 204);
      const all = await expectStatus(t.http('GET', `${storage(path)}?properties`), 200);
      expect(all.json()).toEqual({ properties: { a: ['1', '2'], b: ['x,y'], c: ['|pipe'] }, uri: `${t.edge.url}${storage(path)}` });
      const some = await expectStatus(t.http('GET', `${storage(path)}?properties=a,c`), 200);
      expect((some.json() as { properties: object }).properties).toEqual({ a: ['1', '2'], c: ['|pipe'] });
    },
  }),
  scenario({
    id: 'artifacts/no-properties-is-404',
    title: 'reading the properties of an item that has none answers 404 "No properties could be found."',
    requirements: ['EDGE-ART-10'],
    async run(t) {
      const res = await t.http('GET', `${storage(`${await libraryTree(t, 'no-props')}/lib/2.0/lib-2.0.jar`)}?properties`);
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ errors: [{ message: 'No properties could be found.' }] });
    },
  }),
  scenario({
    id: 'artifacts/properties-recursive',
    title: 'properties set on a folder reach everything below it, unless recursive=0',
    requirements: ['EDGE-ART-10'],
    async run(t) {
      const dir = await libraryTree(t, 'recursive');
      await expectStatus(t.http('PUT', `${storage(`${dir}/lib/1.0`)}?properties=release=yes`), 204);
      expect(await propertiesOf(t, `${dir}/lib/1.0/lib-1.0.pom`)).toMatchObject({ release: ['yes'] });
      await expectStatus(t.http('PUT', `${storage(`${dir}/lib/2.0`)}?properties=only=folder&recursive=0`), 204);
      expect(await propertiesOf(t, `${dir}/lib/2.0`)).toMatchObject({ only: ['folder'] });
      await expectStatus(t.http('GET', `${storage(`${dir}/lib/2.0/lib-2.0.jar`)}?properties`), 404);
    },
  }),
  scenario({
    id: 'artifacts/properties-delete',
    title: 'DELETE ?properties=k1,k3 removes those keys and keeps the others',
    requirements: ['EDGE-ART-10'],
    async run(t) {
      const path = `${await libraryTree(t, 'props-delete')}/lib/2.0/lib-2.0.jar`;
      await expectStatus(t.http('PUT', `${storage(path)}?properties=k1=v|k2=v|k3=v`), 204);
      await expectStatus(t.http('DELETE', `${storage(path)}?properties=k1,k3`), 204);
      expect(await propertiesOf(t, path)).toEqual({ k2: ['v'] });
    },
  }),
  scenario({
    id: 'artifacts/metadata-patch',
    title: 'PATCH /api/metadata sets and removes properties in one call',
    requirements: ['EDGE-ART-10'],
    async run(t) {
      const path = `${await libraryTree(t, 'patch')}/top.txt`;
      await expectStatus(t.http('PUT', `${storage(path)}?properties=gone=1`), 204);
      await expectStatus(t.http('PATCH', metadata(path), { json: { props: { gone: null, fresh: 'new', many: ['x', 'y'] } } }), 204);
      const props = await propertiesOf(t, path);
      expect(props.gone).toBeUndefined();
      expect(props.fresh).toEqual(['new']);
      expect(props.many).toEqual(['x', 'y']);
    },
  }),
  scenario({
    id: 'artifacts/properties-refusals',
    title: 'an invalid key, a property without =, a missing properties parameter (400) and an absent item (404) change nothing',
    requirements: ['EDGE-ART-10'],
    async run(t) {
      const dir = await libraryTree(t, 'props-bad');
      const before = await snapshot(t);
      for (const [what, path, status] of [
        ['a key with a space', `${storage(`${dir}/top.txt`)}?properties=${encodeURIComponent('bad key=1')}`, 400],
        ['a property without =', `${storage(`${dir}/top.txt`)}?properties=noequals`, 400],
        ['no properties parameter', storage(`${dir}/top.txt`), 400],
        ['an absent item', `${storage(`${dir}/absent.txt`)}?properties=a=1`, 404],
      ] as const) {
        await combination(t, `property PUT with ${what}`, async () => {
          await expectRefusedAsBefore(t, before, await t.http('PUT', path), status);
        });
      }
    },
  }),
  scenario({
    id: 'artifacts/prototype-named-keys-as-matrix-parameters',
    title: "property keys named like Object.prototype's members are stored from matrix parameters; on a GET they change nothing",
    requirements: ['EDGE-IN-7', 'EDGE-ART-6'],
    async run(t) {
      const path = `${await libraryTree(t, 'proto-matrix')}/matrix.txt`;
      const matrix = PROTOTYPE_KEYS.map((key, i) => `;${key}=m${i}`).join('');
      await expectStatus(t.http('PUT', `${art(path)}${matrix}`, { body: 'm' }), 201);
      expectOwn(await propertiesOf(t, path), Object.fromEntries(PROTOTYPE_KEYS.map((key, i) => [key, [`m${i}`]])));
      const got = await expectStatus(t.http('GET', `${art(path)};constructor=1;__proto__=2`), 200);
      expect(got.text).toBe('m');
    },
  }),
  scenario({
    id: 'artifacts/prototype-named-keys-as-properties-parameter',
    title: "property keys named like Object.prototype's members are stored, read and deleted through ?properties=",
    requirements: ['EDGE-IN-7', 'EDGE-ART-10'],
    async run(t) {
      const path = `${await libraryTree(t, 'proto-param')}/top.txt`;
      const param = PROTOTYPE_KEYS.map((key, i) => `${key}=p${i},q${i}`).join('|');
      await expectStatus(t.http('PUT', `${storage(path)}?properties=${encodeURIComponent(param)}`), 204);
      expectOwn(await propertiesOf(t, path), Object.fromEntries(PROTOTYPE_KEYS.map((key, i) => [key, [`p${i}`, `q${i}`]])));
      const one = await expectStatus(t.http('GET', `${storage(path)}?properties=toString`), 200);
      expect(JSON.parse(one.text).properties).toEqual({ toString: ['p2', 'q2'] });
      await expectStatus(t.http('DELETE', `${storage(path)}?properties=constructor,valueOf`), 204);
      expect(Object.keys(await propertiesOf(t, path)).sort()).toEqual(['__proto__', 'hasOwnProperty', 'toString']);
    },
  }),
  scenario({
    id: 'artifacts/prototype-named-keys-in-metadata-patch',
    title: "PATCH /api/metadata sets and removes keys named like Object.prototype's members; a JSON __proto__ key is 400 MALFORMED_JSON and changes nothing",
    requirements: ['EDGE-IN-7', 'EDGE-ART-10'],
    async run(t) {
      const path = `${await libraryTree(t, 'proto-patch')}/top.txt`;
      await expectStatus(
        t.http('PATCH', metadata(path), { json: { props: { constructor: 'c1,c2', toString: ['t'], valueOf: 'v', hasOwnProperty: 'h' } } }),
        204,
      );
      expectOwn(await propertiesOf(t, path), { constructor: ['c1', 'c2'], toString: ['t'], valueOf: ['v'], hasOwnProperty: ['h'] });
      await expectStatus(t.http('PATCH', metadata(path), { json: { props: { valueOf: null } } }), 204);
      expect(Object.keys(await propertiesOf(t, path)).sort()).toEqual(['constructor', 'hasOwnProperty', 'toString']);
      // The JSON parser refuses a `__proto__` key (proto-poisoning guard); matrix parameters and ?properties= store it.
      const poisoned = await t.http('PATCH', metadata(path), { body: '{"props":{"__proto__":"x"}}', headers: { 'content-type': 'application/json' } });
      expect(poisoned.status).toBe(400);
      expect(poisoned.json()).toMatchObject({ errors: [{ status: 400, code: 'MALFORMED_JSON' }] });
      expect(Object.keys(await propertiesOf(t, path)).sort()).toEqual(['constructor', 'hasOwnProperty', 'toString']);
    },
  }),
];
