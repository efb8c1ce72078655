import { beforeEach, describe, expect, it } from 'vitest';
import { checksumsOf } from '../../protocol/checksums.ts';
import { errorOf, T0, testSource, type TestSource } from './__fixtures__/test-source.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('source: storage API (jfrog-compat.md §1.4)', () => {
  let src: TestSource;
  beforeEach(async () => {
    src = testSource();
    await src.repo('libs');
    await src.deploy('libs/org/app/1.0/app.jar', 'jar-bytes');
    src.clock.now = T0 + 1000;
    await src.deploy('libs/org/app/1.0/app.pom', 'pom');
    await src.deploy('libs/readme.txt', 'read me');
  });

  it('answers file info', async () => {
    const res = await src.call('GET', '/artifactory/api/storage/libs/org/app/1.0/app.jar');
    expect(res.headers.get('content-type')).toBe('application/vnd.org.jfrog.artifactory.storage.FileInfo+json');
    expect(await res.json()).toEqual({
      repo: 'libs',
      path: '/org/app/1.0/app.jar',
      created: iso(T0),
      createdBy: 'admin',
      lastModified: iso(T0),
      modifiedBy: 'admin',
      lastUpdated: iso(T0),
      uri: 'http://localhost/artifactory/api/storage/libs/org/app/1.0/app.jar',
      downloadUri: 'http://localhost/artifactory/libs/org/app/1.0/app.jar',
      mimeType: 'application/java-archive',
      size: '9',
      checksums: checksumsOf('jar-bytes'),
      originalChecksums: checksumsOf('jar-bytes'),
    });
  });

  it('answers folder info with children, for a folder and for the root', async () => {
    const folder = (await (await src.call('GET', '/artifactory/api/storage/libs/org/app/1.0')).json()) as Record<string, unknown>;
    expect(folder).toMatchObject({ repo: 'libs', path: '/org/app/1.0', created: iso(T0), uri: 'http://localhost/artifactory/api/storage/libs/org/app/1.0' });
    expect(folder.children).toEqual([
      { uri: '/app.jar', folder: false },
      { uri: '/app.pom', folder: false },
    ]);
    const root = (await (await src.call('GET', '/artifactory/api/storage/libs/')).json()) as Record<string, unknown>;
    expect(root).toMatchObject({ repo: 'libs', path: '/' });
    expect(root.children).toEqual([
      { uri: '/org', folder: true },
      { uri: '/readme.txt', folder: false },
    ]);
    expect(await errorOf(await src.call('GET', '/artifactory/api/storage/libs/none'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await errorOf(await src.call('GET', '/artifactory/api/storage/nope/x'))).toMatchObject({ status: 404 });
  });

  it('lists with ?list, deep, depth and listFolders', async () => {
    const uris = async (query: string, path = '') => {
      const res = await src.call('GET', `/artifactory/api/storage/libs${path}?${query}`);
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { files: { uri: string }[] }).files.map((f) => f.uri);
    };
    expect(await uris('list')).toEqual(['/readme.txt']);
    expect(await uris('list&deep=1')).toEqual(['/org/app/1.0/app.jar', '/org/app/1.0/app.pom', '/readme.txt']);
    expect(await uris('list&deep=1&listFolders=1')).toEqual([
      '/org',
      '/org/app',
      '/org/app/1.0',
      '/org/app/1.0/app.jar',
      '/org/app/1.0/app.pom',
      '/readme.txt',
    ]);
    expect(await uris('list&deep=1&depth=2&listFolders=1')).toEqual(['/org', '/org/app', '/readme.txt']);
    expect(await uris('list&deep=1', '/org')).toEqual(['/app/1.0/app.jar', '/app/1.0/app.pom']);

    const list = (await (await src.call('GET', '/artifactory/api/storage/libs/org/app?list&deep=1&listFolders=1')).json()) as {
      files: Record<string, unknown>[];
    };
    expect(list.files[0]).toEqual({ uri: '/1.0', size: '-1', lastModified: iso(T0), folder: true });
    expect(list.files[1]).toEqual({
      uri: '/1.0/app.jar',
      size: '9',
      lastModified: iso(T0),
      folder: false,
      sha1: checksumsOf('jar-bytes').sha1,
      sha2: checksumsOf('jar-bytes').sha256,
    });

    expect(await errorOf(await src.call('GET', '/artifactory/api/storage/libs/readme.txt?list'))).toMatchObject({ status: 400, code: 'NOT_A_FOLDER' });
    expect(await errorOf(await src.call('GET', '/artifactory/api/storage/libs?list&deep=maybe'))).toMatchObject({ status: 400 });
    expect(await errorOf(await src.call('GET', '/artifactory/api/storage/libs?list&depth=-1&deep=1'))).toMatchObject({ status: 400 });
    expect(await errorOf(await src.call('GET', '/artifactory/api/storage/libs?list&properties'))).toMatchObject({ status: 400 });
  });
});

describe('source: properties (jfrog-compat.md §1.6)', () => {
  let src: TestSource;
  beforeEach(async () => {
    src = testSource();
    await src.repo('libs');
    await src.deploy('libs/dir/a.txt;keep=yes', 'a');
    await src.deploy('libs/dir/sub/b.txt', 'b');
  });

  const props = async (path: string, query = 'properties') => src.call('GET', `/artifactory/api/storage/libs/${path}?${query}`);

  it('sets properties with 204, recursively on folders unless recursive=0, and reads them back', async () => {
    expect((await src.call('PUT', '/artifactory/api/storage/libs/dir?properties=build.name=app|build.number=7,8')).status).toBe(204);
    expect(await (await props('dir/sub/b.txt')).json()).toEqual({
      properties: { 'build.name': ['app'], 'build.number': ['7', '8'] },
      uri: 'http://localhost/artifactory/api/storage/libs/dir/sub/b.txt',
    });
    expect(((await (await props('dir/a.txt', 'properties=keep')).json()) as { properties: unknown }).properties).toEqual({ keep: ['yes'] });

    expect((await src.call('PUT', '/artifactory/api/storage/libs/dir?properties=only=top;esc=a\\,b&recursive=0')).status).toBe(204);
    expect(src.source.state.item('libs', 'dir')?.properties).toMatchObject({ only: ['top'], esc: ['a,b'] });
    expect(src.source.state.item('libs', 'dir/a.txt')?.properties.only).toBeUndefined();
  });

  it('deletes properties with 204 and answers 404 "No properties could be found." when none are left', async () => {
    await src.call('PUT', '/artifactory/api/storage/libs/dir?properties=x=1|y=2');
    expect((await src.call('DELETE', '/artifactory/api/storage/libs/dir?properties=x,keep')).status).toBe(204);
    expect(src.source.state.item('libs', 'dir/a.txt')?.properties).toEqual({ y: ['2'] });
    await src.call('DELETE', '/artifactory/api/storage/libs/dir/sub/b.txt?properties=y');
    expect(await errorOf(await props('dir/sub/b.txt'))).toEqual({ status: 404, message: 'No properties could be found.', code: 'NOT_FOUND' });
  });

  it('refuses malformed property requests with 400 and unknown items with 404', async () => {
    for (const query of ['', '?properties=', '?properties=novalue', '?properties=bad%20key=1', '?properties=k=v&recursive=2']) {
      expect((await errorOf(await src.call('PUT', `/artifactory/api/storage/libs/dir${query}`))).status, query).toBe(400);
    }
    expect((await errorOf(await src.call('DELETE', '/artifactory/api/storage/libs/dir'))).status).toBe(400);
    expect((await errorOf(await src.call('PUT', '/artifactory/api/storage/libs/?properties=a=1'))).status).toBe(400);
    expect((await errorOf(await src.call('PUT', '/artifactory/api/storage/libs/none?properties=a=1'))).status).toBe(404);
    expect((await src.call('PUT', '/artifactory/api/storage/libs/dir?properties=a=1', { auth: null })).status).toBe(401);
  });

  it('EDGE-IN-7: keys named like Object.prototype members are stored and read back as own keys', async () => {
    const keys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    const param = keys.map((key, i) => `${key}=v${i}`).join('|');
    expect((await src.call('PUT', `/artifactory/api/storage/libs/dir/a.txt?properties=${encodeURIComponent(param)}`)).status).toBe(204);
    const stored = src.source.state.item('libs', 'dir/a.txt')?.properties ?? {};
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    for (const key of keys) expect(Object.hasOwn(stored, key), key).toBe(true);
    const res = await props('dir/a.txt');
    expect(res.status).toBe(200);
    const read = JSON.parse(await res.text()).properties as Record<string, string[]>;
    expect(Object.keys(read).sort()).toEqual([...keys, 'keep'].sort());
    for (const [i, key] of keys.entries()) expect(read[key], key).toEqual([`v${i}`]);
    expect((await src.call('DELETE', '/artifactory/api/storage/libs/dir/a.txt?properties=__proto__,constructor')).status).toBe(204);
    expect(Object.keys(src.source.state.item('libs', 'dir/a.txt')?.properties ?? {}).sort()).toEqual(['hasOwnProperty', 'keep', 'toString', 'valueOf']);
  });
});
