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

    it('refuses a copy into itself, a missing source and a missing target', async () => {
      expect((await call('POST', `/artifactory/api/copy/artifactory-edge-uploads/lib?to=/artifactory-edge-uploads/lib/inner`)).status).toBe(400);
      expect((await call('POST', `/artifactory/api/copy/artifactory-edge-uploads/nothing?to=/artifactory-edge-uploads/x`)).status).toBe(404);
      expect((await call('POST', `/artifactory/api/copy/artifactory-edge-uploads/lib`)).status).toBe(400);
    });
  });
});
