import { expectRefusedUnchanged, expectStatus } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { expectAbsent, smartRemote, startUpstream } from '../../kit/upstream.ts';
import { permission, UPLOADS_REPO, user } from '../../kit/world.ts';
import { READ_ONLY_MESSAGE } from '../read-only/refusals.ts';
import { contentOf, expectServed, storageOf, through, upstreamAsked, upstreamGets } from './upstreams.ts';

/** The cache belongs to the Edge: read-only to deploy APIs, emptied by admins only (EDGE-SR-16), read by those who may (EDGE-SR-17). */

export const cacheScenarios = [
  scenario({
    id: 'smart-remote/cache-read-only-admin-deletes',
    title:
      'cached content refuses deploy, copy/move and property writes with the read-only 403; an admin deletes a cached file or folder (204) and the next request fetches again; a non-admin delete is 403',
    requirements: ['EDGE-SR-16'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const bytes = contentOf(t, 'cached', 500);
      for (const path of ['c/one.txt', 'c/two.txt', 'd/three.txt']) await upstream.put(path, bytes);
      const remote = await smartRemote(t, upstream);
      for (const path of ['c/one.txt', 'c/two.txt', 'd/three.txt'])
        expectServed(await t.http('GET', through(remote, upstream, path)), bytes, `caching ${path}`);
      const one = `${remote}/${upstream.root}/c/one.txt`;
      await t.step('writes are the read-only 403 and change nothing', async () => {
        for (const [what, send] of [
          ['deploy over a cached file', () => t.http('PUT', `/artifactory/${one}`, { body: 'other bytes' })],
          ['deploy of a new file', () => t.http('PUT', through(remote, upstream, 'c/new.txt'), { body: 'new' })],
          ['a property write', () => t.http('PUT', `/artifactory/api/storage/${one}?properties=a=b`)],
          ['a property delete', () => t.http('DELETE', `/artifactory/api/storage/${one}?properties=a`)],
          ['a move out of the cache', () => t.http('POST', `/artifactory/api/move/${one}?to=/${UPLOADS_REPO}/${upstream.root}/moved.txt`)],
          ['a copy into the cache', () => t.http('POST', `/artifactory/api/copy/${one}?to=/${remote}/${upstream.root}/c/copied.txt`)],
        ] as const)
          await t.step(what, () => expectRefusedUnchanged(t, send, 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE));
      });
      await t.step('a non-admin, even one granted every action, may not delete from the cache', async () => {
        const someone = await user(t, 'cache-user');
        await permission(t, 'cache-all', { repositories: [remote], users: { [someone.name]: ['read', 'write', 'annotate', 'delete', 'manage'] } });
        const res = await t.http('DELETE', `/artifactory/${one}`, { auth: someone.auth });
        expect(res.status, res.text).toBe(403);
        expectServed(await t.http('GET', `/artifactory/${one}`), bytes, 'the file the refusal kept');
      });
      await t.step('an admin deletes a cached file; the next download fetches it again', async () => {
        const before = await upstreamGets(upstream, 'c/one.txt');
        await expectStatus(t.http('DELETE', `/artifactory/${one}`), 204);
        expectServed(await t.http('GET', `/artifactory/${one}`), bytes, 'the file after the delete');
        expect(await upstreamGets(upstream, 'c/one.txt')).toBe(before + 1);
      });
      await t.step('an admin deletes a cached folder with what it holds', async () => {
        const before = await upstreamGets(upstream, 'd/three.txt');
        await expectStatus(t.http('DELETE', through(remote, upstream, 'd')), 204);
        expectServed(await t.http('GET', through(remote, upstream, 'd/three.txt')), bytes, 'the file after its folder was deleted');
        expect(await upstreamGets(upstream, 'd/three.txt')).toBe(before + 1);
      });
    },
  }),
  scenario({
    id: 'smart-remote/read-permission-before-upstream',
    title: 'reading through a smart remote needs read permission on the path: a caller without it gets the absent 404 and causes no upstream request',
    requirements: ['EDGE-SR-17'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      const bytes = contentOf(t, 'guarded', 400);
      await upstream.put('open/file.txt', bytes);
      await upstream.put('closed/file.txt', bytes);
      const remote = await smartRemote(t, upstream);
      const reader = await user(t, 'remote-reader');
      const stranger = await user(t, 'remote-stranger');
      // Read, and Deploy/Cache (JFrog's permission to cache remote artifacts, decision 0017).
      await permission(t, 'remote-read-open', { repositories: [remote], users: { [reader.name]: ['read', 'write'] }, include: [`${upstream.root}/open/**`] });
      await t.step('a caller who may not read the path: 404, and the upstream hears nothing', async () => {
        for (const [who, auth, path] of [
          ['a user without any permission', stranger.auth, 'open/file.txt'],
          ['a reader of another path', reader.auth, 'closed/file.txt'],
        ] as const) {
          expectAbsent(await t.http('GET', through(remote, upstream, path), { auth }));
          expectAbsent(await t.http('GET', storageOf(remote, upstream, path), { auth }));
          expect(await upstreamAsked(upstream, path), `${who}: upstream exchanges`).toBe(0);
        }
      });
      await t.step('a reader of the path gets it', async () => {
        expectServed(await t.http('GET', through(remote, upstream, 'open/file.txt'), { auth: reader.auth }), bytes);
      });
      await t.step('once cached it is still unreadable to the others', async () => {
        expectAbsent(await t.http('GET', through(remote, upstream, 'open/file.txt'), { auth: stranger.auth }));
      });
    },
  }),
];
