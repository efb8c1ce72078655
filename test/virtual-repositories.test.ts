import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, clientsOf, raw, startEdge, type RawResponse, type RunningEdge } from './edge-harness.ts';
import { distribute, errorCode, json, makeBundle, sha256, trustFixtureKey } from './bundle-kit.ts';
import { putPermission, putUser } from './trust-fixtures.ts';

/**
 * Virtual repositories over real HTTP (EDGE-VR-1..6): two local members filled by a bundle, the
 * uploads repository, and callers who may read one member, the other, parts of them, or nothing.
 */

const UPLOADS = 'artifactory-edge-uploads';
const A = 'vr-lib-a';
const B = 'vr-lib-b';
const FROM_A = 'the shared file as lib-a holds it\n';
const FROM_B = 'the shared file as lib-b holds it, longer\n';

let edge: RunningEdge;
const as = (user: string) => basic(user, `${user}-password-1`);

function get(path: string, authorization: string = edge.admin, headers: Record<string, string> = {}): Promise<RawResponse> {
  return raw(edge.url, 'GET', path, { headers: { authorization, ...headers } });
}
const art = (repoPath: string) => `/artifactory/${repoPath}`;
const storage = (repoPath: string) => `/artifactory/api/storage/${repoPath}`;
const childNames = (res: RawResponse) => (res.json() as { children: { uri: string }[] }).children.map((c) => c.uri);
const listed = (res: RawResponse) => (res.json() as { files: { uri: string }[] }).files.map((f) => f.uri);
const createVirtual = (key: string, config: Record<string, unknown>) =>
  json(edge, 'PUT', `/artifactory/api/repositories/${key}`, { rclass: 'virtual', ...config });

beforeAll(async () => {
  edge = await startEdge();
  await trustFixtureKey(edge);
  for (const key of [A, B]) await clientsOf(edge).artifactory.createRepository(key, { rclass: 'local' });
  await distribute(
    edge,
    await makeBundle('virtual-members', '1.0', [
      { repoPath: `${A}/common/same.txt`, bytes: Buffer.from(FROM_A), props: [{ key: 'origin', values: ['a'] }] },
      { repoPath: `${A}/a-only/file.txt`, bytes: Buffer.from('only in a\n') },
      { repoPath: `${A}/secret/a.txt`, bytes: Buffer.from('excluded by the virtual\n') },
      { repoPath: `${A}/team/ok.txt`, bytes: Buffer.from('team file in a\n') },
      { repoPath: `${B}/common/same.txt`, bytes: Buffer.from(FROM_B), props: [{ key: 'origin', values: ['b'] }] },
      { repoPath: `${B}/common/b-extra.txt`, bytes: Buffer.from('extra in b\n') },
      { repoPath: `${B}/b-only/file.txt`, bytes: Buffer.from('only in b\n') },
    ]),
  );
  expect((await raw(edge.url, 'PUT', art(`${UPLOADS}/up/u.txt`), { headers: { authorization: edge.admin }, body: 'uploaded\n' })).status).toBe(201);
  const created = await createVirtual('vr-all', { repositories: [A, B, UPLOADS], excludesPattern: 'secret/**', defaultDeploymentRepo: UPLOADS });
  expect(created.status, created.text).toBe(200);
  // alice: all of lib-a but team/**, and only common/** of lib-b; bob: all of lib-b, and deploy to uploads; carol: nothing.
  for (const user of ['alice', 'bob', 'carol']) await putUser(edge.url, edge.admin, user, { email: `${user}@vr.example` });
  await putPermission(edge.url, edge.admin, 'vr-a', { repositories: [A], 'exclude-patterns': ['team/**'], actions: { users: { alice: ['read'] } } });
  await putPermission(edge.url, edge.admin, 'vr-b', { repositories: [B], 'include-patterns': ['common/**'], actions: { users: { alice: ['read'] } } });
  await putPermission(edge.url, edge.admin, 'vr-b-bob', { repositories: [B], actions: { users: { bob: ['read'] } } });
  await putPermission(edge.url, edge.admin, 'vr-uploads-bob', { repositories: [UPLOADS], actions: { users: { bob: ['read', 'write'] } } });
});
afterAll(() => edge.close());

describe('creating and changing a virtual repository', () => {
  it("EDGE-VR-1: a virtual is created with JFrog's defaults and returned by GET /api/repositories/{key}", async () => {
    expect((await createVirtual('vr-bare', {})).status).toBe(200);
    const bare = await clientsOf(edge).artifactory.repository('vr-bare');
    expect(bare).toMatchObject({
      key: 'vr-bare',
      rclass: 'virtual',
      packageType: 'generic',
      repositories: [],
      includesPattern: '**/*',
      excludesPattern: '',
      artifactoryRequestsCanRetrieveRemoteArtifacts: false,
    });
    expect(bare.defaultDeploymentRepo ?? null).toBeNull();
    const all = await clientsOf(edge).artifactory.repository('vr-all');
    expect(all).toMatchObject({ repositories: [A, B, UPLOADS], excludesPattern: 'secret/**', defaultDeploymentRepo: UPLOADS, includesPattern: '**/*' });
    const listedTypes = await clientsOf(edge).artifactory.repositories({ type: 'virtual' });
    expect(listedTypes.map((r) => r.key)).toEqual(expect.arrayContaining(['vr-all', 'vr-bare']));
  });

  it('EDGE-VR-1: a generic virtual aggregates repositories of any package type, a typed one only its own type', async () => {
    await clientsOf(edge).artifactory.createRepository('vr-maven-local', { rclass: 'local', packageType: 'maven' });
    expect((await createVirtual('vr-generic-any', { repositories: ['vr-maven-local', A] })).status).toBe(200);
    const maven = await createVirtual('vr-maven', { packageType: 'maven', repositories: ['vr-maven-local'] });
    expect(maven.status).toBe(200);
    expect(await clientsOf(edge).artifactory.repository('vr-maven')).toMatchObject({
      pomRepositoryReferencesCleanupPolicy: 'discard_active_reference',
      forceMavenAuthentication: false,
    });
  });

  it.each([
    ['an unknown member', 'vr-bad-unknown', { repositories: [A, 'vr-no-such-repo'] }, 'repositories'],
    ['itself as a member', 'vr-bad-self', { repositories: ['vr-bad-self'] }, 'repositories'],
    ['a member of another package type', 'vr-bad-type', { packageType: 'npm', repositories: [A] }, 'repositories'],
    ['repositories that are not an array', 'vr-bad-shape', { repositories: A }, 'repositories'],
    ['a member named twice', 'vr-bad-twice', { repositories: [A, A] }, 'repositories'],
    [
      'a defaultDeploymentRepo other than the uploads repository',
      'vr-bad-deploy',
      { repositories: [A, UPLOADS], defaultDeploymentRepo: A },
      'defaultDeploymentRepo',
    ],
    ['a defaultDeploymentRepo that is not a member', 'vr-bad-deploy-member', { repositories: [A], defaultDeploymentRepo: UPLOADS }, 'defaultDeploymentRepo'],
    [
      'a field of the wrong type',
      'vr-bad-field',
      { repositories: [A], artifactoryRequestsCanRetrieveRemoteArtifacts: 'yes' },
      'artifactoryRequestsCanRetrieveRemoteArtifacts',
    ],
  ])('EDGE-VR-1, EDGE-VR-5: %s is a 400 INVALID_BODY naming the field, and nothing is created', async (_what, key, config, field) => {
    const res = await createVirtual(key, config);
    expect(res.status, res.text).toBe(400);
    expect(errorCode(res)).toBe('INVALID_BODY');
    expect(res.text).toContain(`'${field}'`);
    expect((await json(edge, 'GET', `/artifactory/api/repositories/${key}`)).status).toBe(404);
  });

  it('EDGE-VR-1: an update that makes a loop through nested virtuals (A -> B -> A) is a 400 naming repositories and changes nothing', async () => {
    expect((await createVirtual('vr-loop-a', { repositories: [A] })).status).toBe(200);
    expect((await createVirtual('vr-loop-b', { repositories: ['vr-loop-a'] })).status).toBe(200);
    const res = await json(edge, 'POST', '/artifactory/api/repositories/vr-loop-a', { repositories: [A, 'vr-loop-b'] });
    expect(res.status, res.text).toBe(400);
    expect(errorCode(res)).toBe('INVALID_BODY');
    expect(res.text).toContain("'repositories'");
    expect(res.text).toContain('vr-loop-a -> vr-loop-b -> vr-loop-a');
    expect((await clientsOf(edge).artifactory.repository('vr-loop-a')).repositories).toEqual([A]);
    const dropped = await json(edge, 'POST', '/artifactory/api/repositories/vr-all', { repositories: [A, B] });
    expect(dropped.status).toBe(400);
    expect(dropped.text).toContain("'defaultDeploymentRepo'");
  });

  it('EDGE-VR-1: deleting a repository removes it from the virtuals that name it, as JFrog does', async () => {
    await clientsOf(edge).artifactory.createRepository('vr-doomed', { rclass: 'local' });
    expect((await createVirtual('vr-holder', { repositories: ['vr-doomed', A] })).status).toBe(200);
    await clientsOf(edge).artifactory.deleteRepository('vr-doomed');
    expect((await clientsOf(edge).artifactory.repository('vr-holder')).repositories).toEqual([A]);
    expect((await get(art('vr-holder/common/same.txt'))).text).toBe(FROM_A);
  });
});

describe('reading through a virtual repository', () => {
  it('EDGE-VR-2: the first member in list order that holds the path answers; nested virtuals expand in place', async () => {
    expect((await get(art('vr-all/common/same.txt'))).text).toBe(FROM_A);
    expect((await createVirtual('vr-b-first', { repositories: [B, A] })).status).toBe(200);
    expect((await get(art('vr-b-first/common/same.txt'))).text).toBe(FROM_B);
    expect((await createVirtual('vr-outer', { repositories: ['vr-b-first', A] })).status).toBe(200);
    expect((await get(art('vr-outer/common/same.txt'))).text).toBe(FROM_B);
    expect((await get(art('vr-all/b-only/file.txt'))).text).toBe('only in b\n');
    expect((await get(art('vr-all/up/u.txt'))).text).toBe('uploaded\n');
    expect((await get(art('vr-all/nowhere.txt'))).status).toBe(404);
  });

  it('EDGE-VR-2: HEAD, ranges, conditional requests and .sha256 reads behave as for a local file', async () => {
    const head = await raw(edge.url, 'HEAD', art('vr-all/common/same.txt'), { headers: { authorization: edge.admin } });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(FROM_A)));
    expect(head.headers['x-checksum-sha256']).toBe(sha256(FROM_A));
    const range = await get(art('vr-all/common/same.txt'), edge.admin, { range: 'bytes=4-9' });
    expect(range.status).toBe(206);
    expect(range.text).toBe(FROM_A.slice(4, 10));
    const etag = String(head.headers.etag);
    expect((await get(art('vr-all/common/same.txt'), edge.admin, { 'if-none-match': etag })).status).toBe(304);
    expect((await get(art('vr-all/common/same.txt'), edge.admin, { range: 'bytes=900-' })).status).toBe(416);
    const suffix = await get(art('vr-all/common/same.txt.sha256'));
    expect(suffix.status).toBe(200);
    expect(suffix.text).toBe(sha256(FROM_A));
  });

  it("EDGE-VR-2: storage info of a file names the member it lies in; its properties are that item's", async () => {
    const info = await get(storage('vr-all/common/same.txt'));
    expect(info.status).toBe(200);
    expect(info.json()).toMatchObject({ repo: A, path: '/common/same.txt', checksums: { sha256: sha256(FROM_A) } });
    const props = await get(`${storage('vr-all/common/same.txt')}?properties`);
    expect(props.json()).toMatchObject({ properties: { origin: ['a'] } });
    expect((await get(`${storage('vr-b-first/common/same.txt')}?properties`)).json()).toMatchObject({ properties: { origin: ['b'] } });
  });

  it('EDGE-VR-4: folder info, ?list and the HTML index merge the members, each name once', async () => {
    expect(childNames(await get(storage('vr-all')))).toEqual(['/a-only', '/b-only', '/common', '/team', '/up']);
    expect(childNames(await get(storage('vr-all/common')))).toEqual(['/b-extra.txt', '/same.txt']);
    const deep = await get(`${storage('vr-all')}?list&deep=1`);
    expect(listed(deep)).toEqual(['/a-only/file.txt', '/b-only/file.txt', '/common/b-extra.txt', '/common/same.txt', '/team/ok.txt', '/up/u.txt']);
    const same = (deep.json() as { files: { uri: string; sha2?: string }[] }).files.find((f) => f.uri === '/common/same.txt');
    expect(same?.sha2).toBe(sha256(FROM_A));
    const html = (await get(art('vr-all/common/'))).text;
    expect(html.match(/same\.txt/g)?.length).toBe(html.match(/b-extra\.txt/g)?.length);
    expect(html).toContain('b-extra.txt');
    const index = (await get(art('vr-all/'))).text;
    for (const name of ['a-only', 'b-only', 'common', 'team', 'up']) expect(index).toContain(`${name}/`);
  });

  it('EDGE-VR-3: an excluded path is 404 through the virtual, absent from its listings, and a member still has it', async () => {
    expect((await get(art(`${A}/secret/a.txt`))).status).toBe(200);
    expect((await get(art('vr-all/secret/a.txt'))).status).toBe(404);
    expect((await get(art('vr-all/secret/a.txt.sha256'))).status).toBe(404);
    expect((await get(storage('vr-all/secret'))).status).toBe(404);
    expect(childNames(await get(storage('vr-all')))).not.toContain('/secret');
    expect(listed(await get(`${storage('vr-all')}?list&deep=1&listFolders=1`)).some((uri) => uri.startsWith('/secret'))).toBe(false);
    expect((await get(art('vr-all/'))).text).not.toContain('secret');
  });

  it("EDGE-VR-3: includesPattern shows only what it includes, and a nested virtual's patterns apply through it", async () => {
    expect((await createVirtual('vr-inc', { repositories: [A, B], includesPattern: 'common/**, b-only/*.txt' })).status).toBe(200);
    expect((await get(art('vr-inc/a-only/file.txt'))).status).toBe(404);
    expect((await get(art('vr-inc/b-only/file.txt'))).status).toBe(200);
    expect(childNames(await get(storage('vr-inc')))).toEqual(['/b-only', '/common']);
    expect((await createVirtual('vr-no-common', { repositories: [A], excludesPattern: 'common/**' })).status).toBe(200);
    expect((await createVirtual('vr-through', { repositories: ['vr-no-common', B] })).status).toBe(200);
    // lib-a's copy is hidden by the nested virtual, so lib-b's answers.
    expect((await get(art('vr-through/common/same.txt'))).text).toBe(FROM_B);
  });
});

describe('path-level permissions through a virtual repository', () => {
  it('EDGE-VR-6: a member the caller may not read is skipped as if it did not hold the item', async () => {
    expect((await get(art('vr-all/common/same.txt'), as('bob'))).text).toBe(FROM_B);
    expect((await get(storage('vr-all/common/same.txt'), as('bob'))).json()).toMatchObject({ repo: B });
    expect((await get(art('vr-all/common/same.txt'), as('alice'))).text).toBe(FROM_A);
    expect((await get(art('vr-all/a-only/file.txt'), as('bob'))).status).toBe(404);
  });

  it("EDGE-VR-6: paths a member's permission target excludes, or does not include, stay hidden through the virtual", async () => {
    expect((await get(art('vr-all/team/ok.txt'))).status).toBe(200);
    expect((await get(art('vr-all/team/ok.txt'), as('alice'))).status).toBe(404);
    expect((await get(art('vr-all/b-only/file.txt'), as('alice'))).status).toBe(404);
    expect((await get(art('vr-all/common/b-extra.txt'), as('alice'))).status).toBe(200);
    expect(childNames(await get(storage('vr-all'), as('alice')))).toEqual(['/a-only', '/common']);
    expect(childNames(await get(storage('vr-all'), as('bob')))).toEqual(['/b-only', '/common', '/up']);
    expect(listed(await get(`${storage('vr-all')}?list&deep=1`, as('alice')))).toEqual(['/a-only/file.txt', '/common/b-extra.txt', '/common/same.txt']);
    expect((await get(art('vr-all/'), as('alice'))).text).not.toContain('team');
  });

  it('EDGE-VR-6: a caller who may read no member gets exactly the absent answers', async () => {
    const absent = await get(art('vr-all/no/such/file.txt'), as('carol'));
    const hidden = await get(art('vr-all/common/same.txt'), as('carol'));
    expect(hidden.status).toBe(404);
    expect(errorCode(hidden)).toBe(errorCode(absent));
    expect((await get(storage('vr-all'), as('carol'))).status).toBe(404);
  });
});

describe('writing through a virtual repository', () => {
  it('EDGE-VR-5: a deploy through the virtual lands in the uploads repository, and the 201 body says so', async () => {
    const res = await raw(edge.url, 'PUT', art('vr-all/deployed/new.txt'), { headers: { authorization: as('bob') }, body: 'deployed through\n' });
    expect(res.status, res.text).toBe(201);
    expect(res.json()).toMatchObject({ repo: UPLOADS, path: '/deployed/new.txt', downloadUri: `${edge.url}/artifactory/${UPLOADS}/deployed/new.txt` });
    expect((await get(art(`${UPLOADS}/deployed/new.txt`))).text).toBe('deployed through\n');
    expect((await get(art('vr-all/deployed/new.txt'), as('bob'))).text).toBe('deployed through\n');
    const folder = await raw(edge.url, 'PUT', art('vr-all/deployed/folder/'), { headers: { authorization: edge.admin } });
    expect(folder.status).toBe(201);
    expect(folder.json()).toMatchObject({ repo: UPLOADS, path: '/deployed/folder' });
    const byChecksum = await raw(edge.url, 'PUT', art('vr-all/deployed/copy.txt'), {
      headers: { authorization: edge.admin, 'x-checksum-deploy': 'true', 'x-checksum-sha256': sha256('deployed through\n') },
    });
    expect(byChecksum.status, byChecksum.text).toBe(201);
    expect(byChecksum.json()).toMatchObject({ repo: UPLOADS, path: '/deployed/copy.txt' });
  });

  it("EDGE-VR-5: the uploads repository's permissions decide a deploy through the virtual", async () => {
    const res = await raw(edge.url, 'PUT', art('vr-all/deployed/alice.txt'), { headers: { authorization: as('alice') }, body: 'x' });
    expect(res.status).toBe(403);
    expect((await get(art(`${UPLOADS}/deployed/alice.txt`))).status).toBe(404);
  });

  it('EDGE-VR-5: a deploy to a path the virtual excludes is refused and stores nothing', async () => {
    const res = await raw(edge.url, 'PUT', art('vr-all/secret/new.txt'), { headers: { authorization: edge.admin }, body: 'x' });
    expect(res.status).toBe(403);
    expect((await get(art(`${UPLOADS}/secret/new.txt`))).status).toBe(404);
  });

  it('EDGE-VR-5, EDGE-RO-1: every other write through a virtual is the read-only 403 and changes nothing', async () => {
    const readOnly = async (res: RawResponse) => {
      expect(res.status, res.text).toBe(403);
      expect(errorCode(res)).toBe('EDGE_READ_ONLY');
    };
    const admin = { authorization: edge.admin };
    await readOnly(await raw(edge.url, 'PUT', art('vr-b-first/x.txt'), { headers: admin, body: 'x' }));
    await readOnly(await raw(edge.url, 'DELETE', art('vr-all/up/u.txt'), { headers: admin }));
    await readOnly(await raw(edge.url, 'PUT', `${storage('vr-all/up/u.txt')}?properties=k=v`, { headers: admin }));
    await readOnly(await raw(edge.url, 'POST', `/artifactory/api/copy/vr-all/up/u.txt?to=/${UPLOADS}/copied.txt`, { headers: admin }));
    await readOnly(await raw(edge.url, 'POST', `/artifactory/api/move/${UPLOADS}/up/u.txt?to=/vr-all/moved.txt`, { headers: admin }));
    expect((await get(art(`${UPLOADS}/up/u.txt`))).text).toBe('uploaded\n');
    expect((await get(`${storage(`${UPLOADS}/up/u.txt`)}?properties`)).status).toBe(404);
  });
});
