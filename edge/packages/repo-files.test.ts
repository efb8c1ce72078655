import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepoFiles, type StoredFile } from './repo-files.ts';
import type { EdgeReads } from '../repos/reads.ts';
import type { Principal } from '../trust/principal.ts';
import { npmTarball } from '../../scenarios/kit/packages.ts';
import { distribute, makeBundle, trustFixtureKey } from '../../test/bundle-kit.ts';
import { clientsOf, startEdge, type RunningEdge } from '../../test/edge-harness.ts';
import { createRemote, startUpstream, type Upstream } from '../../test/smart-remote-kit.ts';
import { putPermission, putUser } from '../../test/trust-fixtures.ts';

/**
 * The seam every package index reads through (`RepoFiles`), held to one contract for each
 * repository class: what `readable` lists is what the caller may read, with the checksums of
 * the bytes `open` then gives. Local: the item store; smart remote: its cache and its upstream's
 * listing (EDGE-PKG-9); virtual: its members in resolution order, the first winning for a path
 * (EDGE-PKG-10). Over a real Edge and the upstream simulator on loopback.
 */

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const user = (name: string): Principal => ({ kind: 'user', name, admin: false, groups: [], via: 'password' });
const ADMIN: Principal = { kind: 'user', name: 'admin', admin: true, groups: [], via: 'password' };
const tgz = (path: string) => path.endsWith('.tgz');

let upstream: Upstream;
let edge: RunningEdge;
let files: RepoFiles;
/** The tarballs, by `where:path`: `local` ones arrive in a bundle, `upstream` ones are on the upstream. */
const bytes: Record<string, Buffer> = {};
for (const [name, version, where] of [
  ['lib', '1.0.0', 'local'],
  ['shared', '1.0.0', 'local'],
  ['lib', '2.0.0', 'upstream'],
  ['shared', '1.0.0', 'upstream'],
  ['fresh', '1.0.0', 'upstream'],
] as const) {
  bytes[`${where}:${name}/-/${name}-${version}.tgz`] = await npmTarball({ name, version }, where);
}

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const repo = async (key: string) => {
  const found = await edge.edge.context.metadata.repos.get(key);
  if (!found) throw new Error(`no repository ${key}`);
  return found;
};

/** What `readable` lists for `principal`: path → [the repository it lies in, sha256]. */
async function listed(principal: Principal, key: string, wanted = tgz): Promise<Record<string, [string, string]>> {
  const found = await files.readable(principal, await repo(key), wanted);
  return Object.fromEntries(found.map((f) => [f.path, [f.repo, f.checksums.sha256]]));
}

beforeAll(async () => {
  upstream = await startUpstream();
  edge = await startEdge();
  files = new RepoFiles(edge.edge.context.metadata, edge.edge.context.access, edge.edge.context.reads as EdgeReads);
  await trustFixtureKey(edge);
  const { artifactory } = clientsOf(edge);
  await artifactory.createRepository('npm-local', { rclass: 'local', packageType: 'npm' });
  const local = Object.entries(bytes).filter(([k]) => k.startsWith('local:'));
  await distribute(
    edge,
    await makeBundle(
      'seam',
      '1.0',
      local.map(([k, b]) => ({ repoPath: `npm-local/${k.slice('local:'.length)}`, bytes: b })),
    ),
  );
  for (const [k, b] of Object.entries(bytes)) if (k.startsWith('upstream:')) await upstream.put(k.slice('upstream:'.length), b);
  await upstream.put('notes/readme.txt', 'not a package');
  const created = await createRemote(edge, 'npm-remote', upstream.repoUrl, { packageType: 'npm' });
  expect(created.status, created.body).toBe(200);
  await artifactory.createRepository('npm-virtual', { rclass: 'virtual', packageType: 'npm', repositories: ['npm-remote', 'npm-local'] });
}, 60_000);

afterAll(async () => {
  await edge?.close();
  await upstream?.close();
});

const at = (where: string, path: string): [string, string] => [where === 'local' ? 'npm-local' : 'npm-remote', sha256(bytes[`${where}:${path}`] as Buffer)];

describe('RepoFiles: one contract for every repository class', () => {
  const expected: Record<string, Record<string, [string, string]>> = {
    'npm-local': { 'lib/-/lib-1.0.0.tgz': at('local', 'lib/-/lib-1.0.0.tgz'), 'shared/-/shared-1.0.0.tgz': at('local', 'shared/-/shared-1.0.0.tgz') },
    'npm-remote': {
      'fresh/-/fresh-1.0.0.tgz': at('upstream', 'fresh/-/fresh-1.0.0.tgz'),
      'lib/-/lib-2.0.0.tgz': at('upstream', 'lib/-/lib-2.0.0.tgz'),
      'shared/-/shared-1.0.0.tgz': at('upstream', 'shared/-/shared-1.0.0.tgz'),
    },
    // EDGE-PKG-10: local members first (EDGE-VR-2); the local shared-1.0.0 hides the upstream's at the same path.
    'npm-virtual': {
      'lib/-/lib-1.0.0.tgz': at('local', 'lib/-/lib-1.0.0.tgz'),
      'shared/-/shared-1.0.0.tgz': at('local', 'shared/-/shared-1.0.0.tgz'),
      'fresh/-/fresh-1.0.0.tgz': at('upstream', 'fresh/-/fresh-1.0.0.tgz'),
      'lib/-/lib-2.0.0.tgz': at('upstream', 'lib/-/lib-2.0.0.tgz'),
    },
  };

  it.each(Object.keys(expected))('EDGE-PKG-9, EDGE-PKG-10: %s lists the files wanted, with their checksums, in resolution order', async (key) => {
    const found = await listed(ADMIN, key);
    expect(found).toEqual(expected[key]);
    expect(Object.keys(found), 'resolution order, each repository by path').toEqual(Object.keys(expected[key] as object));
    expect(await listed(ADMIN, key, (path) => path.endsWith('.txt')), 'only what `wanted` picks').toEqual(
      key === 'npm-local' ? {} : { 'notes/readme.txt': expect.anything() },
    );
  });

  it.each(Object.keys(expected))('EDGE-PKG-9: open gives each file of %s the bytes of its listed checksum', async (key) => {
    const target = await repo(key);
    const opened = await files.readable(ADMIN, target, (path) => tgz(path) && !path.startsWith('fresh/'));
    expect(opened.length).toBe(Object.keys(expected[key] as object).length - (key === 'npm-local' ? 0 : 1));
    for (const file of opened) {
      expect(sha256(await read(await files.open(ADMIN, target, file))), file.path).toBe(file.checksums.sha256);
    }
  });

  it("EDGE-PKG-9: opening a smart remote's uncached file pulls it through the cache, once", async () => {
    const path = 'fresh/-/fresh-1.0.0.tgz';
    const { metadata } = edge.edge.context;
    expect(await metadata.items.get('npm-remote', path)).toBeUndefined();
    const [file] = (await files.readable(ADMIN, await repo('npm-virtual'), (p) => p === path)) as StoredFile[];
    expect(file?.repo).toBe('npm-remote');
    expect(sha256(await read(await files.open(ADMIN, await repo('npm-virtual'), file as StoredFile)))).toBe(at('upstream', path)[1]);
    expect((await metadata.items.get('npm-remote', path))?.checksums?.sha256).toBe(at('upstream', path)[1]);
    await files.open(ADMIN, await repo('npm-remote'), file as StoredFile).then(read);
    expect(await upstream.count('GET', path)).toBe(1);
  });

  it('EDGE-PKG-9, EDGE-SR-17: a caller who may read a smart remote but not cache into it is shown its cache only, which grows as the remote caches', async () => {
    const created = await createRemote(edge, 'npm-remote-b', upstream.repoUrl, { packageType: 'npm' });
    expect(created.status, created.body).toBe(200);
    await putUser(edge.url, edge.admin, 'cache-reader', { email: 'cache-reader@example.com' });
    await putPermission(edge.url, edge.admin, 'cache-readers', { repositories: ['npm-remote-b'], actions: { users: { 'cache-reader': ['read'] } } });
    const reader = user('cache-reader');
    expect(await listed(reader, 'npm-remote-b')).toEqual({});
    const all = await files.readable(ADMIN, await repo('npm-remote-b'), tgz);
    expect(all.map((f) => f.path)).toEqual(['fresh/-/fresh-1.0.0.tgz', 'lib/-/lib-2.0.0.tgz', 'shared/-/shared-1.0.0.tgz']);
    await files.open(ADMIN, await repo('npm-remote-b'), all[1] as StoredFile).then(read);
    expect(await listed(reader, 'npm-remote-b')).toEqual({ 'lib/-/lib-2.0.0.tgz': ['npm-remote-b', at('upstream', 'lib/-/lib-2.0.0.tgz')[1]] });
  });

  it('EDGE-PKG-10, EDGE-AUTH-5: through a virtual, a path the caller may not read in the first member comes from the next one', async () => {
    await putUser(edge.url, edge.admin, 'partial-reader', { email: 'partial-reader@example.com' });
    await putPermission(edge.url, edge.admin, 'partial-local', {
      repositories: ['npm-local'],
      'exclude-patterns': ['shared/**'],
      actions: { users: { 'partial-reader': ['read'] } },
    });
    await putPermission(edge.url, edge.admin, 'partial-remote', { repositories: ['npm-remote'], actions: { users: { 'partial-reader': ['read', 'write'] } } });
    const found = await listed(user('partial-reader'), 'npm-virtual');
    expect(found['shared/-/shared-1.0.0.tgz']).toEqual(at('upstream', 'shared/-/shared-1.0.0.tgz'));
    expect(found['lib/-/lib-1.0.0.tgz']).toEqual(at('local', 'lib/-/lib-1.0.0.tgz'));
  });

  it("EDGE-PKG-10: a stored virtual naming a member of another package type lists nothing of that member's", async () => {
    const { artifactory } = clientsOf(edge);
    await artifactory.createRepository('pypi-local', { rclass: 'local', packageType: 'pypi' });
    await distribute(
      edge,
      await makeBundle('seam-pypi', '1.0', [
        { repoPath: 'pypi-local/odd/-/odd-1.0.0.tgz', bytes: await npmTarball({ name: 'odd', version: '1.0.0' }, 'pypi') },
      ]),
    );
    // The configuration check refuses such a member (EDGE-VR-1); a stored one is not trusted either.
    const virtual = await repo('npm-virtual');
    const mixed = { ...virtual, key: 'npm-mixed', config: { ...virtual.config, repositories: ['pypi-local', 'npm-local'] } };
    await edge.edge.context.metadata.repos.create(mixed);
    expect(Object.keys(await listed(ADMIN, 'npm-mixed')).sort()).toEqual(['lib/-/lib-1.0.0.tgz', 'shared/-/shared-1.0.0.tgz']);
  });

  it('EDGE-PKG-9: an upstream file its listing gives no SHA-256 for is left out of the index', async () => {
    // An upstream whose deep listing names two tarballs and gives the SHA-256 of one only.
    const listing = {
      uri: 'x',
      created: '2026-01-01T00:00:00.000Z',
      files: [
        { uri: '/with/with-1.0.0.tgz', size: '10', lastModified: '2026-01-01T00:00:00.000Z', folder: false, sha1: 'a'.repeat(40), sha2: 'b'.repeat(64) },
        { uri: '/without/without-1.0.0.tgz', size: '10', lastModified: '2026-01-01T00:00:00.000Z', folder: false, sha1: 'c'.repeat(40) },
      ],
    };
    const server = createServer((req, res) => {
      if (req.url === '/artifactory/api/system/ping') return res.end('OK');
      if (req.url === '/artifactory/api/storage/weak') return res.end('{}');
      if (req.url?.startsWith('/artifactory/api/storage/weak?list')) return res.end(JSON.stringify(listing));
      return res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const created = await createRemote(edge, 'npm-weak', `http://127.0.0.1:${(server.address() as AddressInfo).port}/artifactory/weak`, {
        packageType: 'npm',
      });
      expect(created.status, created.body).toBe(200);
      expect(Object.keys(await listed(ADMIN, 'npm-weak'))).toEqual(['with/with-1.0.0.tgz']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
