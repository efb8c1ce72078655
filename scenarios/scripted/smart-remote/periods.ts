import { expectError } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { attempt, expectAbsent, smartRemote, startUpstream } from '../../kit/upstream.ts';
import { contentOf, expectServed, perUpstream, sleep, through, upstreamAsked } from './upstreams.ts';

/**
 * What the Edge remembers about its upstream, and for how long: misses (EDGE-SR-8), an upstream
 * that is down (EDGE-SR-9), `offline` (EDGE-SR-10), and what a failure looks like (EDGE-SR-11).
 * Periods are 1–2 s, so the scenarios wait them out.
 */

export const periodScenarios = [
  ...perUpstream({
    id: 'smart-remote/miss-remembered-for-its-period',
    title: 'an upstream 404 is answered from memory within missedRetrievalCachePeriodSecs, the upstream is asked again after it, and 0 remembers nothing',
    requirements: ['EDGE-SR-8'],
    async run(t, kind) {
      const upstream = await startUpstream(t, kind);
      const remembering = await smartRemote(t, upstream, { missedRetrievalCachePeriodSecs: 2 });
      const forgetting = await smartRemote(t, upstream, { missedRetrievalCachePeriodSecs: 0 });
      const bytes = contentOf(t, 'late', 500);
      await t.step('a miss asks the upstream once', async () => {
        expectAbsent(await t.http('GET', through(remembering, upstream, 'late.txt')));
        expect(await upstreamAsked(upstream, 'late.txt')).toBeGreaterThan(0);
      });
      const asked = await upstreamAsked(upstream, 'late.txt');
      await upstream.put('late.txt', bytes);
      await t.step('within the period: 404 without asking, though the upstream has it now', async () => {
        expectAbsent(await t.http('GET', through(remembering, upstream, 'late.txt')));
        expect(await upstreamAsked(upstream, 'late.txt')).toBe(asked);
      });
      await t.step('after the period: fetched', async () => {
        await sleep(2200);
        expectServed(await t.http('GET', through(remembering, upstream, 'late.txt')), bytes);
      });
      await t.step('with a period of 0 every miss asks the upstream', async () => {
        for (let i = 0; i < 2; i++) {
          const before = await upstreamAsked(upstream, 'never.txt');
          expectAbsent(await t.http('GET', through(forgetting, upstream, 'never.txt')));
          expect(await upstreamAsked(upstream, 'never.txt'), `miss ${i + 1}`).toBeGreaterThan(before);
        }
      });
    },
  }),
  ...perUpstream({
    id: 'smart-remote/down-then-back',
    title: 'after a connection failure the upstream is assumed offline for assumedOfflinePeriodSecs (cached content served, nothing asked), then asked again',
    requirements: ['EDGE-SR-9'],
    async run(t, kind) {
      const upstream = await startUpstream(t, kind);
      const cached = contentOf(t, 'cached', 700);
      const later = contentOf(t, 'later', 900);
      await upstream.put('cached.txt', cached);
      await upstream.put('later.txt', later);
      const remote = await smartRemote(t, upstream, { assumedOfflinePeriodSecs: 2, missedRetrievalCachePeriodSecs: 0 });
      expectServed(await t.http('GET', through(remote, upstream, 'cached.txt')), cached, 'the download that caches it');
      await upstream.down();
      await t.step('the upstream is down: an uncached file is absent, a cached one served', async () => {
        expectAbsent(await t.http('GET', through(remote, upstream, 'later.txt')));
        expectServed(await t.http('GET', through(remote, upstream, 'cached.txt')), cached, 'the cached file');
      });
      await upstream.up();
      await t.step('back, but within the period: still assumed offline, and not asked', async () => {
        const before = await upstreamAsked(upstream, 'later.txt');
        expectAbsent(await t.http('GET', through(remote, upstream, 'later.txt')));
        expectServed(await t.http('GET', through(remote, upstream, 'cached.txt')), cached, 'the cached file');
        expect(await upstreamAsked(upstream, 'later.txt')).toBe(before);
      });
      await t.step('after the period: asked again', async () => {
        await sleep(2200);
        expectServed(await t.http('GET', through(remote, upstream, 'later.txt')), later);
      });
    },
  }),
  ...perUpstream({
    id: 'smart-remote/offline-flag',
    title: 'offline: true never contacts the upstream; cached content is served, anything else is 404',
    requirements: ['EDGE-SR-10'],
    async run(t, kind) {
      const upstream = await startUpstream(t, kind);
      const bytes = contentOf(t, 'offline', 400);
      await upstream.put('there.txt', bytes);
      await upstream.put('uncached.txt', bytes);
      const remote = await smartRemote(t, upstream);
      expectServed(await t.http('GET', through(remote, upstream, 'there.txt')), bytes, 'the download that caches it');
      await t.step('switched offline', async () => {
        const res = await t.http('POST', `/artifactory/api/repositories/${remote}`, { json: { offline: true } });
        expect(res.status, res.text).toBe(200);
        expect((await t.clients().artifactory.repository(remote)) as unknown).toMatchObject({ offline: true });
      });
      const before = (await upstream.exchanges()).length;
      await t.step('cached content is served, the rest is 404, and the upstream hears nothing', async () => {
        expectServed(await t.http('GET', through(remote, upstream, 'there.txt')), bytes, 'the cached file');
        expectAbsent(await t.http('GET', through(remote, upstream, 'uncached.txt')));
        expectAbsent(await t.http('GET', through(remote, upstream, 'nowhere.txt')));
        expect((await upstream.exchanges()).length).toBe(before);
      });
    },
  }),
  ...perUpstream({
    id: 'smart-remote/hard-fail-both-ways',
    title: 'an upstream failure (down, or answering 5xx) is 502 UPSTREAM_UNAVAILABLE naming the repository with hardFail, and the absent 404 without',
    requirements: ['EDGE-SR-11'],
    async run(t, kind) {
      const upstream = await startUpstream(t, kind, {
        plan: (route) => ({
          seed: t.seed,
          rules: [{ service: 'upstream', direction: 'inbound', route: route('broken/**'), fault: { kind: 'status', status: 503, body: 'upstream trouble' } }],
        }),
      });
      const hard = await smartRemote(t, upstream, { hardFail: true, missedRetrievalCachePeriodSecs: 0 });
      const soft = await smartRemote(t, upstream, { hardFail: false, missedRetrievalCachePeriodSecs: 0 });
      await t.step('the upstream answers 503', async () => {
        expectError(await t.http('GET', through(hard, upstream, 'broken/a.txt')), 502, 'UPSTREAM_UNAVAILABLE', new RegExp(hard));
        expectAbsent(await t.http('GET', through(soft, upstream, 'broken/a.txt')));
      });
      await upstream.down();
      await t.step('the upstream is down', async () => {
        const res = await attempt(t, through(hard, upstream, 'down.txt'));
        expect(res.complete, 'an answer').toBe(true);
        if (res.complete) expectError(res.res, 502, 'UPSTREAM_UNAVAILABLE', new RegExp(hard));
        expectAbsent(await t.http('GET', through(soft, upstream, 'down.txt')));
      });
    },
  }),
];
