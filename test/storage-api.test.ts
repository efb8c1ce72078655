import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumsOf } from '../protocol/checksums.ts';
import { STORAGE_API } from '../protocol/wire/items.ts';
import { clientsOf, raw, startEdge, type RunningEdge } from './edge-harness.ts';

const UPLOADS = 'artifactory-edge-uploads';
const UP = `/artifactory/${UPLOADS}`;
const STORAGE = `${STORAGE_API}/${UPLOADS}`;

describe('storage API', () => {
  let edge: RunningEdge;
  let auth: Record<string, string>;
  const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    raw(edge.url, method, path, { headers: { ...auth, ...headers }, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    edge = await startEdge();
    auth = { authorization: edge.admin };
    const { artifactory } = clientsOf(edge);
    await artifactory.deploy(`${UPLOADS}/lib/1.0/lib-1.0.jar`, 'jar bytes');
    await artifactory.deploy(`${UPLOADS}/lib/1.0/lib-1.0.pom`, '<project/>');
    await artifactory.deploy(`${UPLOADS}/lib/2.0/lib-2.0.jar`, 'jar bytes 2');
    await artifactory.deploy(`${UPLOADS}/top.txt`, 'top');
  });
  afterAll(() => edge.close());

  it("file info has JFrog's FileInfo fields", async () => {
    const res = await call('GET', `${STORAGE}/lib/1.0/lib-1.0.jar`);
    expect(res.status).toBe(200);
    const sums = checksumsOf('jar bytes');
    expect(res.json()).toMatchObject({
      repo: 'artifactory-edge-uploads',
      path: '/lib/1.0/lib-1.0.jar',
      size: '9',
      mimeType: 'application/java-archive',
      checksums: sums,
      originalChecksums: sums,
      createdBy: 'admin',
      modifiedBy: 'admin',
      uri: `${edge.art}/api/storage/artifactory-edge-uploads/lib/1.0/lib-1.0.jar`,
      downloadUri: `${edge.art}/artifactory-edge-uploads/lib/1.0/lib-1.0.jar`,
    });
    for (const field of ['created', 'lastModified', 'lastUpdated']) {
      expect(Date.parse((res.json() as Record<string, string>)[field] as string)).not.toBeNaN();
    }
  });

  it('folder info lists children, folders first', async () => {
    const root = await call('GET', STORAGE);
    expect(root.json()).toMatchObject({
      repo: 'artifactory-edge-uploads',
      path: '/',
      children: [
        { uri: '/lib', folder: true },
        { uri: '/top.txt', folder: false },
      ],
    });
    const lib = await call('GET', `${STORAGE}/lib`);
    expect((lib.json() as { children: unknown[] }).children).toEqual([
      { uri: '/1.0', folder: true },
      { uri: '/2.0', folder: true },
    ]);
  });

  it('?list honours deep, depth and listFolders', async () => {
    const uris = async (query: string) => ((await call('GET', `${STORAGE}/lib?${query}`)).json() as { files: { uri: string }[] }).files.map((f) => f.uri);
    expect(await uris('list')).toEqual([]);
    expect(await uris('list&listFolders=1')).toEqual(['/1.0', '/2.0']);
    expect(await uris('list&deep=1')).toEqual(['/1.0/lib-1.0.jar', '/1.0/lib-1.0.pom', '/2.0/lib-2.0.jar']);
    expect(await uris('list&deep=1&listFolders=1')).toEqual(['/1.0', '/1.0/lib-1.0.jar', '/1.0/lib-1.0.pom', '/2.0', '/2.0/lib-2.0.jar']);
    expect(await uris('list&deep=1&depth=1&listFolders=1')).toEqual(['/1.0', '/2.0']);
    const entry = ((await call('GET', `${STORAGE}/lib?list&deep=1`)).json() as { files: Record<string, unknown>[] }).files[0];
    expect(entry).toMatchObject({ size: '9', folder: false, sha1: checksumsOf('jar bytes').sha1, sha2: checksumsOf('jar bytes').sha256 });
    expect((await call('GET', `${STORAGE}/top.txt?list`)).status).toBe(400);
  });

  describe('properties', () => {
    it('sets with | and ; separators, escapes and multiple values; gets all or some', async () => {
      const set = await call('PUT', `${STORAGE}/top.txt?properties=${encodeURIComponent('a=1,2|b=x\\,y;c=\\|pipe')}`);
      expect(set.status).toBe(204);
      const all = await call('GET', `${STORAGE}/top.txt?properties`);
      expect(all.json()).toEqual({
        properties: { a: ['1', '2'], b: ['x,y'], c: ['|pipe'] },
        uri: `${edge.art}/api/storage/artifactory-edge-uploads/top.txt`,
      });
      const some = await call('GET', `${STORAGE}/top.txt?properties=a,c`);
      expect((some.json() as { properties: object }).properties).toEqual({ a: ['1', '2'], c: ['|pipe'] });
    });

    it('answers 404 "No properties could be found" when there are none', async () => {
      const res = await call('GET', `${STORAGE}/lib/2.0/lib-2.0.jar?properties`);
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ errors: [{ message: 'No properties could be found.' }] });
    });

    it('sets recursively on folders by default, and only on the folder with recursive=0', async () => {
      await call('PUT', `${STORAGE}/lib/1.0?properties=release=yes`);
      expect((await call('GET', `${STORAGE}/lib/1.0/lib-1.0.pom?properties`)).json()).toMatchObject({ properties: { release: ['yes'] } });
      await call('PUT', `${STORAGE}/lib/2.0?properties=only=folder&recursive=0`);
      expect((await call('GET', `${STORAGE}/lib/2.0?properties`)).json()).toMatchObject({ properties: { only: ['folder'] } });
      expect((await call('GET', `${STORAGE}/lib/2.0/lib-2.0.jar?properties`)).status).toBe(404);
    });

    it('deletes keys', async () => {
      await call('PUT', `${STORAGE}/lib/2.0/lib-2.0.jar?properties=k1=v|k2=v|k3=v`);
      expect((await call('DELETE', `${STORAGE}/lib/2.0/lib-2.0.jar?properties=k1,k3`)).status).toBe(204);
      expect(((await call('GET', `${STORAGE}/lib/2.0/lib-2.0.jar?properties`)).json() as { properties: object }).properties).toEqual({ k2: ['v'] });
    });

    it('PATCH /api/metadata sets and removes in one call', async () => {
      await call('PUT', `${STORAGE}/top.txt?properties=gone=1`);
      const res = await call(
        'PATCH',
        '/artifactory/api/metadata/artifactory-edge-uploads/top.txt',
        JSON.stringify({ props: { gone: null, fresh: 'new', many: ['x', 'y'] } }),
        {
          'content-type': 'application/json',
        },
      );
      expect(res.status).toBe(204);
      const props = ((await call('GET', `${STORAGE}/top.txt?properties`)).json() as { properties: Record<string, string[]> }).properties;
      expect(props.gone).toBeUndefined();
      expect(props.fresh).toEqual(['new']);
      expect(props.many).toEqual(['x', 'y']);
    });

    it('refuses invalid property keys and a missing properties parameter', async () => {
      expect((await call('PUT', `${STORAGE}/top.txt?properties=${encodeURIComponent('bad key=1')}`)).status).toBe(400);
      expect((await call('PUT', `${STORAGE}/top.txt?properties=noequals`)).status).toBe(400);
      expect((await call('PUT', `${STORAGE}/top.txt`)).status).toBe(400);
      expect((await call('PUT', `${STORAGE}/absent.txt?properties=a=1`)).status).toBe(404);
    });
  });

  describe('EDGE-IN-7: property keys named like Object.prototype members are ordinary keys', () => {
    const KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    const propsOf = async (path: string) => {
      const res = await call('GET', `${STORAGE}/${path}?properties`);
      expect(res.status).toBe(200);
      return JSON.parse(res.text).properties as Record<string, string[]>;
    };
    const expectOwn = (props: Record<string, string[]>, expected: Record<string, string[]>) => {
      for (const [key, values] of Object.entries(expected)) {
        expect(Object.hasOwn(props, key), key).toBe(true);
        expect(props[key], key).toEqual(values);
      }
    };

    it('EDGE-IN-7: matrix parameters on PUT store them; a matrix parameter on GET is no 500', async () => {
      const matrix = KEYS.map((key, i) => `;${key}=m${i}`).join('');
      expect((await call('PUT', `${UP}/proto/matrix.txt${matrix}`, 'm')).status).toBe(201);
      expectOwn(await propsOf('proto/matrix.txt'), Object.fromEntries(KEYS.map((key, i) => [key, [`m${i}`]])));
      const got = await call('GET', `${UP}/proto/matrix.txt;constructor=1;__proto__=2`);
      expect(got.status).toBe(200);
      expect(got.text).toBe('m');
    });

    it('EDGE-IN-7: ?properties= on PUT stores them and ?properties=k reads one back', async () => {
      await call('PUT', `${UP}/proto/param.txt`, 'p');
      const param = KEYS.map((key, i) => `${key}=p${i},q${i}`).join('|');
      expect((await call('PUT', `${STORAGE}/proto/param.txt?properties=${encodeURIComponent(param)}`)).status).toBe(204);
      expectOwn(await propsOf('proto/param.txt'), Object.fromEntries(KEYS.map((key, i) => [key, [`p${i}`, `q${i}`]])));
      const one = await call('GET', `${STORAGE}/proto/param.txt?properties=toString`);
      expect(one.status).toBe(200);
      expect(JSON.parse(one.text).properties).toEqual({ toString: ['p2', 'q2'] });
      expect((await call('DELETE', `${STORAGE}/proto/param.txt?properties=constructor,valueOf`)).status).toBe(204);
      const left = await propsOf('proto/param.txt');
      expect(Object.keys(left).sort()).toEqual(['__proto__', 'hasOwnProperty', 'toString']);
    });

    it('EDGE-IN-7: PATCH /api/metadata sets and removes them', async () => {
      await call('PUT', `${UP}/proto/patched.txt`, 'x');
      const body = JSON.stringify({ props: { constructor: 'c1,c2', toString: ['t'], valueOf: 'v', hasOwnProperty: 'h' } });
      const res = await call('PATCH', '/artifactory/api/metadata/artifactory-edge-uploads/proto/patched.txt', body, { 'content-type': 'application/json' });
      expect(res.status).toBe(204);
      expectOwn(await propsOf('proto/patched.txt'), { constructor: ['c1', 'c2'], toString: ['t'], valueOf: ['v'], hasOwnProperty: ['h'] });
      const removed = JSON.stringify({ props: { valueOf: null } });
      await call('PATCH', '/artifactory/api/metadata/artifactory-edge-uploads/proto/patched.txt', removed, { 'content-type': 'application/json' });
      expect(Object.keys(await propsOf('proto/patched.txt')).sort()).toEqual(['constructor', 'hasOwnProperty', 'toString']);
      // A JSON body with a `__proto__` key is refused by the JSON parser (proto-poisoning guard):
      // a coded 400 that changes nothing; matrix parameters and ?properties= store that key.
      const poisoned = await call('PATCH', '/artifactory/api/metadata/artifactory-edge-uploads/proto/patched.txt', '{"props":{"__proto__":"x"}}', {
        'content-type': 'application/json',
      });
      expect(poisoned.status).toBe(400);
      expect(poisoned.json()).toMatchObject({ errors: [{ status: 400, code: 'MALFORMED_JSON' }] });
      expect(Object.keys(await propsOf('proto/patched.txt')).sort()).toEqual(['constructor', 'hasOwnProperty', 'toString']);
    });
  });

  describe('copy and move within the uploads repository', () => {
    it('copies a folder with properties, moves a file, honours dry runs', async () => {
      const copy = await call('POST', `/artifactory/api/copy/artifactory-edge-uploads/lib/1.0?to=/artifactory-edge-uploads/copied/1.0`);
      expect(copy.status).toBe(200);
      expect((copy.json() as { messages: { message: string }[] }).messages[0]?.message).toContain('2 artifacts');
      expect((await call('GET', `${UP}/copied/1.0/lib-1.0.jar`)).text).toBe('jar bytes');
      expect((await call('GET', `${STORAGE}/copied/1.0/lib-1.0.pom?properties`)).json()).toMatchObject({ properties: { release: ['yes'] } });

      const dry = await call('POST', `/artifactory/api/move/artifactory-edge-uploads/top.txt?to=/artifactory-edge-uploads/moved/top.txt&dry=1`);
      expect(dry.status).toBe(200);
      expect((await call('GET', `${UP}/top.txt`)).status).toBe(200);
      expect((await call('GET', `${UP}/moved/top.txt`)).status).toBe(404);

      const move = await call('POST', `/artifactory/api/move/artifactory-edge-uploads/top.txt?to=/artifactory-edge-uploads/moved/top.txt`);
      expect(move.status).toBe(200);
      expect((await call('GET', `${UP}/top.txt`)).status).toBe(404);
      expect((await call('GET', `${UP}/moved/top.txt`)).text).toBe('top');
    });

    /** Every path the Edge reports in the uploads repository, from a deep listing. */
    const listed = async () => {
      const res = await call('GET', `${STORAGE}?list&deep=1&listFolders=1`);
      expect(res.status).toBe(200);
      return (res.json() as { files: { uri: string }[] }).files.map((f) => f.uri);
    };

    it('EDGE-AUTH-6: a copy or move to the repository root lands under the root by name, never at path ""', async () => {
      await call('PUT', `${UP}/deep/pkg/a.txt`, 'a');
      await call('PUT', `${UP}/deep/pkg/sub/b.txt`, 'b');
      await call('PUT', `${UP}/deep/single.txt`, 's');
      for (const to of [`/${UPLOADS}`, `/${UPLOADS}/`]) {
        const copy = await call('POST', `/artifactory/api/copy/${UPLOADS}/deep/pkg?to=${to}`);
        expect(copy.status, to).toBe(200);
      }
      expect((await call('GET', `${UP}/pkg/a.txt`)).text).toBe('a');
      expect((await call('GET', `${UP}/pkg/sub/b.txt`)).text).toBe('b');
      expect((await call('POST', `/artifactory/api/move/${UPLOADS}/deep/single.txt?to=/${UPLOADS}`)).status).toBe(200);
      expect((await call('GET', `${UP}/single.txt`)).text).toBe('s');
      expect((await call('GET', `${UP}/deep/single.txt`)).status).toBe(404);

      const uris = await listed();
      expect(uris).toEqual(expect.arrayContaining(['/pkg', '/pkg/a.txt', '/pkg/sub', '/pkg/sub/b.txt', '/single.txt']));
      for (const uri of uris) expect(uri, uri).toMatch(/^\/[^/]/);
      const root = await call('GET', STORAGE);
      expect(root.status).toBe(200);
      const children = (root.json() as { children: { uri: string }[] }).children.map((c) => c.uri);
      for (const uri of children) expect(uri, uri).toMatch(/^\/[^/]+$/);
      for (const uri of children) expect((await call('GET', `${STORAGE}${uri}`)).status, uri).toBe(200);
      // A second copy of a folder to the root of its own repository would be a copy into itself.
      expect((await call('POST', `/artifactory/api/copy/${UPLOADS}/pkg?to=/${UPLOADS}`)).status).toBe(400);
    });

    it('refuses a copy into itself, a missing source and a missing target', async () => {
      expect((await call('POST', `/artifactory/api/copy/artifactory-edge-uploads/lib?to=/artifactory-edge-uploads/lib/inner`)).status).toBe(400);
      expect((await call('POST', `/artifactory/api/copy/artifactory-edge-uploads/nothing?to=/artifactory-edge-uploads/x`)).status).toBe(404);
      expect((await call('POST', `/artifactory/api/copy/artifactory-edge-uploads/lib`)).status).toBe(400);
    });
  });
});
