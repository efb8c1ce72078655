import { SECURITY_USERS } from '../../../protocol/wire/security.ts';
import { expectError, expectStatus, expectUnchanged } from '../../kit/assertions.ts';
import { expectUnauthenticated, requireAnonymousAccess } from '../../kit/credentials.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { accessWorld, SECRET, SECRET_SHA256, type AccessWorld } from './access-world.ts';

/**
 * EDGE-AUTH-2: without anonymous access, no credentials means 401 (system probes excepted);
 * with it, anonymous callers read and still may not write. Anonymous access is a setting of the
 * Edge, not of its API: each scenario finds out which the Edge has, and is not applicable to
 * the other (test/scenarios-access.test.ts runs both kinds of Edge).
 */

const READS = (w: AccessWorld, absentRepo: string): string[] => [
  `/artifactory/${UPLOADS}/${w.file}`,
  `/artifactory/${UPLOADS}/${w.folder}/absent.txt`,
  `/artifactory/${UPLOADS}/`,
  `/artifactory/${absentRepo}/a.txt`,
  `/artifactory/api/storage/${UPLOADS}/${w.file}`,
  `/artifactory/api/storage/${UPLOADS}?list&deep=1`,
  `/artifactory/api/storage/${UPLOADS}/${w.file}?properties`,
  `/artifactory/${UPLOADS}/${w.file}.sha256`,
  '/artifactory/api/repositories',
  '/artifactory/api/system/license',
];

export const anonymousScenarios = [
  scenario({
    id: 'access/anonymous-off-reads-need-credentials',
    title: 'without anonymous access, reads without credentials get 401, a HEAD too and without content headers',
    requirements: ['EDGE-AUTH-2'],
    async run(t) {
      await requireAnonymousAccess(t, false);
      const world = await accessWorld(t);
      for (const path of READS(world, t.name('no-such-repo'))) {
        await t.step(`GET ${path}`, async () => expectUnauthenticated(await t.http('GET', path, { auth: null })));
      }
      await t.step('HEAD of an existing file', async () => {
        const res = await t.http('HEAD', `/artifactory/${UPLOADS}/${world.file}`, { auth: null });
        expect(res.status).toBe(401);
        expect(res.headers['x-checksum-sha256']).toBeUndefined();
        expect(res.headers.etag).toBeUndefined();
      });
    },
  }),
  scenario({
    id: 'access/anonymous-off-writes-need-credentials',
    title: 'without anonymous access, a deploy and a delete without credentials get 401, and nothing changes',
    requirements: ['EDGE-AUTH-2'],
    async run(t) {
      await requireAnonymousAccess(t, false);
      const world = await accessWorld(t);
      await expectUnchanged(t, () => t.http('PUT', `/artifactory/${UPLOADS}/${world.folder}/anon.txt`, { auth: null, body: 'x' }), expectUnauthenticated);
      await expectUnchanged(t, () => t.http('DELETE', `/artifactory/${UPLOADS}/${world.file}`, { auth: null }), expectUnauthenticated);
    },
  }),
  scenario({
    id: 'access/system-probes-without-credentials',
    title: 'the system probes answer without credentials',
    requirements: ['EDGE-AUTH-2'],
    async run(t) {
      const ping = await expectStatus(t.http('GET', '/artifactory/api/system/ping', { auth: null }), 200);
      expect(ping.text).toBe('OK');
      for (const probe of ['/artifactory/api/v1/system/readiness', '/artifactory/api/v1/system/liveness', '/router/api/v1/system/health']) {
        await expectStatus(t.http('GET', probe, { auth: null }), 200);
      }
    },
  }),
  scenario({
    id: 'access/anonymous-on-reads',
    title: 'with anonymous access on, reads without credentials answer: the file, its info, every repository, 404 for what is absent',
    requirements: ['EDGE-AUTH-2'],
    async run(t) {
      await requireAnonymousAccess(t, true);
      const world = await accessWorld(t);
      const file = await expectStatus(t.http('GET', `/artifactory/${UPLOADS}/${world.file}`, { auth: null }), 200);
      expect(file.text).toBe(SECRET);
      const info = await expectStatus(t.http('GET', `/artifactory/api/storage/${UPLOADS}/${world.file}`, { auth: null }), 200);
      expect(info.json()).toMatchObject({ repo: UPLOADS, path: `/${world.file}`, checksums: { sha256: SECRET_SHA256 } });
      const keys = (res: { json(): unknown }) => (res.json() as { key: string }[]).map((r) => r.key).sort();
      const list = await expectStatus(t.http('GET', '/artifactory/api/repositories', { auth: null }), 200);
      expect(keys(list)).toEqual(keys(await t.http('GET', '/artifactory/api/repositories')));
      expect(keys(list)).toEqual(expect.arrayContaining([UPLOADS, world.local]));
      expectError(await t.http('GET', `/artifactory/${UPLOADS}/${world.folder}/absent.txt`, { auth: null }), 404, 'NOT_FOUND', /absent\.txt/);
    },
  }),
  scenario({
    id: 'access/anonymous-on-writes-need-credentials',
    title: 'with anonymous access on, every write without credentials gets 401, and nothing changes',
    requirements: ['EDGE-AUTH-2'],
    async run(t) {
      await requireAnonymousAccess(t, true);
      const world = await accessWorld(t);
      const up = (path: string) => `/artifactory/${UPLOADS}/${world.folder}/${path}`;
      const file = `${UPLOADS}/${world.file}`;
      const newUser = t.name('anon-user');
      const writes: [string, () => ReturnType<typeof t.http>][] = [
        ['artifact PUT', () => t.http('PUT', up('anon.txt'), { auth: null, body: 'x' })],
        ['artifact PUT over an existing file', () => t.http('PUT', `/artifactory/${file}`, { auth: null, body: 'x' })],
        [
          'deploy by checksum',
          () => t.http('PUT', up('anon-copy.txt'), { auth: null, headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': SECRET_SHA256 } }),
        ],
        ['folder PUT', () => t.http('PUT', up('anon-folder/'), { auth: null })],
        ['DELETE', () => t.http('DELETE', `/artifactory/${file}`, { auth: null })],
        ['property PUT', () => t.http('PUT', `/artifactory/api/storage/${file}?properties=x=1`, { auth: null })],
        ['property DELETE', () => t.http('DELETE', `/artifactory/api/storage/${file}?properties=owner`, { auth: null })],
        ['PATCH metadata', () => t.http('PATCH', `/artifactory/api/metadata/${file}`, { auth: null, json: { props: { x: '1' } } })],
        ['copy', () => t.http('POST', `/artifactory/api/copy/${file}?to=/${UPLOADS}/${world.folder}/anon-copy.txt`, { auth: null })],
        ['move', () => t.http('POST', `/artifactory/api/move/${file}?to=/${UPLOADS}/${world.folder}/anon-moved.txt`, { auth: null })],
        ['repository create', () => t.http('PUT', `/artifactory/api/repositories/${t.name('anon-repo')}`, { auth: null, json: { rclass: 'local' } })],
        ['user create', () => t.http('PUT', `${SECURITY_USERS}/${newUser}`, { auth: null, json: { password: 'anon-password' } })],
      ];
      for (const [what, send] of writes) {
        await t.step(what, () => expectUnchanged(t, send, expectUnauthenticated));
      }
      expectError(await t.http('GET', `${SECURITY_USERS}/${newUser}`), 404, 'NOT_FOUND', new RegExp(newUser));
    },
  }),
];
