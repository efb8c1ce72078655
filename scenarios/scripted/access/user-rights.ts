import { PERMISSIONS, SECURITY_USERS } from '../../../protocol/wire/security.ts';
import { expectError, expectStatus, expectUnchanged, withoutRequestId } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { permission, UPLOADS_REPO as UPLOADS, user, type TestUser } from '../../kit/world.ts';
import { accessWorld, grantedUser, regrant, SECRET, SECRET_SHA256, type AccessWorld } from './access-world.ts';

/**
 * EDGE-AUTH-3: a known user without the right gets 403 for writes, naming them and the action,
 * and 404 for reads, exactly as for absent items; grants to users and groups, include
 * patterns, and removing a grant or a group take effect at once.
 */

/** A refused write: 403 FORBIDDEN naming `who` and matching `action`, and nothing changes. */
function expectForbidden(t: ScenarioContext, send: () => Promise<RawResponse>, who: RegExp | string, action?: RegExp): Promise<RawResponse> {
  return expectUnchanged(t, send, (res) => {
    expectError(res, 403, 'FORBIDDEN', typeof who === 'string' ? new RegExp(who) : who);
    if (action) expect(res.json()).toMatchObject({ errors: [{ message: expect.stringMatching(action) }] });
  });
}

const uploadsOnly = (name: string, actions: string[]) => ({ repositories: [UPLOADS], users: { [name]: actions } });

const WRITES = (w: AccessWorld): { name: string; send: (t: ScenarioContext, auth: string) => Promise<RawResponse>; action: RegExp }[] => {
  const file = `${UPLOADS}/${w.file}`;
  return [
    {
      name: 'deploy to the uploads repository',
      send: (t, auth) => t.http('PUT', `/artifactory/${UPLOADS}/${w.folder}/new.txt`, { auth, body: 'x' }),
      action: /write/,
    },
    {
      name: 'deploy by checksum of content they cannot read',
      send: (t, auth) =>
        t.http('PUT', `/artifactory/${UPLOADS}/${w.folder}/new.txt`, { auth, headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': SECRET_SHA256 } }),
      action: /write/,
    },
    { name: 'folder PUT', send: (t, auth) => t.http('PUT', `/artifactory/${UPLOADS}/${w.folder}/new-folder/`, { auth }), action: /write/ },
    { name: 'DELETE of an existing file', send: (t, auth) => t.http('DELETE', `/artifactory/${file}`, { auth }), action: /delete/ },
    { name: 'property PUT', send: (t, auth) => t.http('PUT', `/artifactory/api/storage/${file}?properties=x=1`, { auth }), action: /annotate/ },
    { name: 'property DELETE', send: (t, auth) => t.http('DELETE', `/artifactory/api/storage/${file}?properties=owner`, { auth }), action: /annotate/ },
    {
      name: 'PATCH metadata',
      send: (t, auth) => t.http('PATCH', `/artifactory/api/metadata/${file}`, { auth, json: { props: { x: '1' } } }),
      action: /annotate/,
    },
    { name: 'copy', send: (t, auth) => t.http('POST', `/artifactory/api/copy/${file}?to=/${UPLOADS}/${w.folder}/stolen.txt`, { auth }), action: /read|write/ },
    {
      name: 'move',
      send: (t, auth) => t.http('POST', `/artifactory/api/move/${file}?to=/${UPLOADS}/${w.folder}/stolen.txt`, { auth }),
      action: /read|write|delete/,
    },
  ];
};

/** An existing item the caller may not read, and an absent one, whose answers must not differ but for `hide`. */
const READS = (w: AccessWorld, absentRepo: string): { name: string; existing: string; absent: string; hide: [string, string] }[] => {
  const up = `${UPLOADS}/${w.folder}`;
  return [
    { name: 'GET of a file', existing: `/artifactory/${up}/dir/a.txt`, absent: `/artifactory/${up}/dir/zz.txt`, hide: ['dir/a.txt', 'dir/zz.txt'] },
    { name: 'GET of a folder listing', existing: `/artifactory/${up}/dir/`, absent: `/artifactory/${up}/nodir/`, hide: ['dir', 'nodir'] },
    {
      name: 'GET of a checksum file',
      existing: `/artifactory/${up}/dir/a.txt.sha256`,
      absent: `/artifactory/${up}/dir/zz.txt.sha256`,
      hide: ['dir/a.txt', 'dir/zz.txt'],
    },
    {
      name: 'storage info of a file',
      existing: `/artifactory/api/storage/${up}/dir/a.txt`,
      absent: `/artifactory/api/storage/${up}/dir/zz.txt`,
      hide: ['dir/a.txt', 'dir/zz.txt'],
    },
    {
      name: 'storage properties of a file',
      existing: `/artifactory/api/storage/${up}/dir/a.txt?properties`,
      absent: `/artifactory/api/storage/${up}/dir/zz.txt?properties`,
      hide: ['dir/a.txt', 'dir/zz.txt'],
    },
    {
      name: 'storage ?list of a folder',
      existing: `/artifactory/api/storage/${up}/dir?list`,
      absent: `/artifactory/api/storage/${up}/nodir?list`,
      hide: ['dir', 'nodir'],
    },
    { name: 'repository root listing', existing: `/artifactory/${UPLOADS}/`, absent: `/artifactory/${absentRepo}/`, hide: [UPLOADS, absentRepo] },
    {
      name: 'storage info of a repository root',
      existing: `/artifactory/api/storage/${UPLOADS}`,
      absent: `/artifactory/api/storage/${absentRepo}`,
      hide: [UPLOADS, absentRepo],
    },
  ];
};

const read = (t: ScenarioContext, w: AccessWorld, who: TestUser) => t.http('GET', `/artifactory/${UPLOADS}/${w.file}`, { auth: who.auth });
const keysOf = (res: RawResponse) => (res.json() as { key: string }[]).map((r) => r.key);

export const userRightScenarios = [
  scenario({
    id: 'access/no-right-writes-forbidden',
    title: 'a user without the right gets 403 FORBIDDEN naming them and the action for every write, and nothing changes',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      const world = await accessWorld(t);
      const nobody = await user(t, 'nobody');
      for (const w of WRITES(world)) {
        await t.step(w.name, () => expectForbidden(t, () => w.send(t, nobody.auth), nobody.name, w.action));
      }
    },
  }),
  scenario({
    id: 'access/unreadable-reads-as-absent',
    title: 'an item a user may not read answers 404 exactly as an absent one, on every read (the admin sees it)',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      const world = await accessWorld(t);
      const nobody = await user(t, 'nobody');
      for (const r of READS(world, t.name('no-such-repo'))) {
        await t.step(r.name, async () => {
          const existing = await t.http('GET', r.existing, { auth: nobody.auth });
          const absent = await t.http('GET', r.absent, { auth: nobody.auth });
          expectError(existing, 404, 'NOT_FOUND', /.+/);
          expectError(absent, 404, 'NOT_FOUND', /.+/);
          const masked = (res: RawResponse, hide: string) => withoutRequestId(res).replaceAll(hide, '<path>');
          expect(masked(existing, r.hide[0])).toBe(masked(absent, r.hide[1]));
          expect(existing.headers['content-type']).toBe(absent.headers['content-type']);
          expect(existing.text).not.toContain(SECRET_SHA256);
          // Control: the admin sees the difference the user must not see.
          expect((await t.http('GET', r.existing)).status).toBe(200);
        });
      }
    },
  }),
  scenario({
    id: 'access/unreadable-head-as-absent',
    title: 'HEAD of a file a user may not read answers 404 with no content headers, as for an absent file',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      const world = await accessWorld(t);
      const nobody = await user(t, 'nobody');
      const existing = await t.http('HEAD', `/artifactory/${UPLOADS}/${world.folder}/dir/a.txt`, { auth: nobody.auth });
      const absent = await t.http('HEAD', `/artifactory/${UPLOADS}/${world.folder}/dir/b.txt`, { auth: nobody.auth }); // same length
      expect([existing.status, absent.status]).toEqual([404, 404]);
      for (const header of ['etag', 'x-checksum-sha1', 'x-checksum-sha256', 'last-modified']) expect(existing.headers[header], header).toBeUndefined();
      expect(existing.headers['content-length']).toBe(absent.headers['content-length']);
    },
  }),
  scenario({
    id: 'access/repository-list-hides-unreadable',
    title: 'the repository list hides the repositories a user cannot read',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      await accessWorld(t);
      const nobody = await user(t, 'nobody');
      expect((await expectStatus(t.http('GET', '/artifactory/api/repositories', { auth: nobody.auth }), 200)).json()).toEqual([]);
    },
  }),
  scenario({
    id: 'access/read-write-grant',
    title: 'a read and write grant lets a user deploy and read at once, and lists only that repository',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      const world = await accessWorld(t);
      const alice = await user(t, 'alice');
      const deploy = () => t.http('PUT', `/artifactory/${UPLOADS}/${world.folder}/alice/one.txt`, { auth: alice.auth, body: 'one' });
      await expectForbidden(t, deploy, alice.name);
      await permission(t, 'alice-uploads', uploadsOnly(alice.name, ['read', 'write']));
      await expectStatus(deploy(), 201);
      expect((await expectStatus(read(t, world, alice), 200)).text).toBe(SECRET);
      expect(keysOf(await expectStatus(t.http('GET', '/artifactory/api/repositories', { auth: alice.auth }), 200))).toEqual([UPLOADS]);
    },
  }),
  scenario({
    id: 'access/overwrite-needs-delete',
    title: 'overwriting or deleting an existing file needs "delete" as well as "write"',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      const world = await accessWorld(t);
      const writer = await grantedUser(t, 'writer', ['read', 'write']);
      const own = `/artifactory/${UPLOADS}/${world.folder}/${writer.name}/file.txt`;
      await expectStatus(t.http('PUT', own, { auth: writer.auth, body: 'first' }), 201);
      for (const path of [own, `/artifactory/${UPLOADS}/${world.file}`]) {
        await expectForbidden(t, () => t.http('PUT', path, { auth: writer.auth, body: 'second' }), writer.name, /delete/);
      }
      await expectForbidden(t, () => t.http('DELETE', own, { auth: writer.auth }), writer.name, /delete/);
      await regrant(t, writer.grant, uploadsOnly(writer.name, ['read', 'write', 'delete']));
      await expectStatus(t.http('PUT', own, { auth: writer.auth, body: 'second' }), 201);
      expect((await t.http('GET', own, { auth: writer.auth })).text).toBe('second');
      await expectStatus(t.http('DELETE', own, { auth: writer.auth }), 204);
    },
  }),
  scenario({
    id: 'access/read-alone-and-annotate',
    title: '"read" alone does not allow deploying; "annotate" is needed for properties',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      const world = await accessWorld(t);
      const reader = await grantedUser(t, 'reader', ['read']);
      const properties = `/artifactory/api/storage/${UPLOADS}/${world.file}`;
      await expectStatus(read(t, world, reader), 200);
      await expectForbidden(
        t,
        () => t.http('PUT', `/artifactory/${UPLOADS}/${world.folder}/${reader.name}.txt`, { auth: reader.auth, body: 'x' }),
        reader.name,
        /write/,
      );
      await expectForbidden(t, () => t.http('PUT', `${properties}?properties=x=1`, { auth: reader.auth }), reader.name, /annotate/);
      await regrant(t, reader.grant, uploadsOnly(reader.name, ['read', 'annotate']));
      await expectStatus(t.http('PUT', `${properties}?properties=x=1`, { auth: reader.auth }), 204);
      await expectStatus(t.http('DELETE', `${properties}?properties=x`, { auth: reader.auth }), 204);
    },
  }),
  scenario({
    id: 'access/group-grant',
    title: 'a grant to a group applies to its members only, and leaving the group revokes it at once',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      const world = await accessWorld(t);
      const devs = t.name('devs');
      const member = await user(t, 'member', { groups: [devs] });
      const outsider = await user(t, 'outsider', { groups: [t.name('ops')] });
      const deploy = (who: TestUser, name: string) => () =>
        t.http('PUT', `/artifactory/${UPLOADS}/${world.folder}/devs/${name}`, { auth: who.auth, body: 'x' });
      const unreadable = async (who: TestUser) => expectError(await read(t, world, who), 404, 'NOT_FOUND', /dir\/a\.txt/);
      await expectForbidden(t, deploy(member, 'one.txt'), member.name);
      await permission(t, 'devs-uploads', { repositories: [UPLOADS], groups: { [devs]: ['read', 'write'] } });
      await expectStatus(deploy(member, 'one.txt')(), 201);
      await expectStatus(read(t, world, member), 200);
      await expectForbidden(t, deploy(outsider, 'two.txt'), outsider.name);
      await unreadable(outsider);
      await expectStatus(t.http('POST', `${SECURITY_USERS}/${member.name}`, { json: { groups: [] } }), 200);
      await expectForbidden(t, deploy(member, 'three.txt'), member.name);
      await unreadable(member);
    },
  }),
  scenario({
    id: 'access/include-patterns-limit-a-grant',
    title: 'include patterns limit a grant to the paths they match',
    requirements: ['EDGE-AUTH-3', 'EDGE-AUTH-8'],
    async run(t) {
      const world = await accessWorld(t);
      const team = await grantedUser(t, 'team', ['read', 'write'], [`${world.folder}/team/**`]);
      const inTeam = `/artifactory/${UPLOADS}/${world.folder}/team/x/file.txt`;
      await expectStatus(t.http('PUT', inTeam, { auth: team.auth, body: 'x' }), 201);
      await expectStatus(t.http('GET', inTeam, { auth: team.auth }), 200);
      await expectForbidden(
        t,
        () => t.http('PUT', `/artifactory/${UPLOADS}/${world.folder}/other/file.txt`, { auth: team.auth, body: 'x' }),
        team.name,
        /write/,
      );
      expectError(await read(t, world, team), 404, 'NOT_FOUND', /dir\/a\.txt/);
    },
  }),
  scenario({
    id: 'access/removed-permission-revokes',
    title: 'removing a permission target revokes it at once',
    requirements: ['EDGE-AUTH-3'],
    async run(t) {
      const world = await accessWorld(t);
      const revoked = await grantedUser(t, 'revoked', ['read', 'write']);
      const own = `/artifactory/${UPLOADS}/${world.folder}/${revoked.name}`;
      await expectStatus(t.http('PUT', `${own}/a.txt`, { auth: revoked.auth, body: 'x' }), 201);
      await expectStatus(t.http('DELETE', `${PERMISSIONS}/${revoked.grant}`), 200);
      await expectForbidden(t, () => t.http('PUT', `${own}/b.txt`, { auth: revoked.auth, body: 'x' }), revoked.name);
      expectError(await t.http('GET', `${own}/a.txt`, { auth: revoked.auth }), 404, 'NOT_FOUND', /a\.txt/);
    },
  }),
];
