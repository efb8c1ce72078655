import { expectStatus } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { smartRemote, startUpstream, type Upstream } from '../../kit/upstream.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { contentOf, expectListed, expectServed, folderNames, perUpstream, sleep, storageOf, through } from './upstreams.ts';

const listings = (t: ScenarioContext, remote: string, upstream: Upstream, folder: string) => folderNames(t, remote, `${upstream.root}/${folder}`);

/** What a smart remote takes from its upstream besides bytes: listings, properties, absence (EDGE-SR-13, -14, -15). */

export const syncScenarios = [
  ...perUpstream({
    id: 'smart-remote/listing-merges-upstream',
    title:
      "folder listings merge the upstream's listing with the cache, each name once, cached for retrievalCachePeriodSecs; without listRemoteFolderItems only the cache shows",
    requirements: ['EDGE-SR-13'],
    async run(t, kind) {
      const upstream = await startUpstream(t, kind);
      for (const path of ['dir/a.txt', 'dir/b.txt', 'dir/sub/c.txt']) await upstream.put(path, contentOf(t, path, 100));
      const remote = await smartRemote(t, upstream, { retrievalCachePeriodSecs: 2 });
      const cacheOnly = await smartRemote(t, upstream, { listRemoteFolderItems: false });
      for (const r of [remote, cacheOnly])
        expectServed(await t.http('GET', through(r, upstream, 'dir/a.txt')), contentOf(t, 'dir/a.txt', 100), 'the download that caches a.txt');
      await t.step('merged: cached a.txt once, upstream b.txt and sub', async () =>
        expectListed(await listings(t, remote, upstream, 'dir'), ['a.txt', 'b.txt', 'sub'], 'merged'),
      );
      await t.step('listRemoteFolderItems false: only the cache', async () =>
        expectListed(await listings(t, cacheOnly, upstream, 'dir'), ['a.txt'], 'cache only'),
      );
      await upstream.put('dir/d.txt', contentOf(t, 'dir/d.txt', 100));
      await t.step('within retrievalCachePeriodSecs the upstream listing is the remembered one', async () => {
        expect((await listings(t, remote, upstream, 'dir')).children).toEqual(['a.txt', 'b.txt', 'sub']);
      });
      await t.step('after it the upstream is listed again', async () => {
        await sleep(2200);
        expectListed(await listings(t, remote, upstream, 'dir'), ['a.txt', 'b.txt', 'd.txt', 'sub'], 'after the period');
      });
    },
  }),
  ...perUpstream({
    id: 'smart-remote/properties-follow-upstream',
    title: "with contentSynchronisation.properties.enabled a download of a cached item makes its properties the upstream's",
    requirements: ['EDGE-SR-14'],
    async run(t, kind) {
      const upstream = await startUpstream(t, kind);
      const bytes = contentOf(t, 'props', 300);
      await upstream.put('p/item.txt', bytes);
      await upstream.setProperties('p/item.txt', { release: '1.0' });
      const remote = await smartRemote(t, upstream, { contentSynchronisation: { properties: { enabled: true } } });
      const properties = async () =>
        ((await expectStatus(t.http('GET', `${storageOf(remote, upstream, 'p/item.txt')}?properties`), 200)).json() as { properties: unknown }).properties;
      expectServed(await t.http('GET', through(remote, upstream, 'p/item.txt')), bytes, 'the download that caches it');
      await upstream.setProperties('p/item.txt', { release: '2.0', channel: 'stable' });
      await t.step("a download of the cached item takes the upstream's properties", async () => {
        expectServed(await t.http('GET', through(remote, upstream, 'p/item.txt')), bytes, 'the cached file');
        expect(await properties()).toEqual({ release: ['2.0'], channel: ['stable'] });
      });
    },
  }),
  ...perUpstream({
    id: 'smart-remote/origin-absence-detected',
    title:
      'with originAbsenceDetection a cached item the upstream lost is marked originAbsent once checked (storage info after the retrieval period, or a listing), and stays downloadable',
    requirements: ['EDGE-SR-15'],
    async run(t, kind) {
      const upstream = await startUpstream(t, kind);
      const files = { 'gone/x.txt': contentOf(t, 'x', 200), 'gone/y.txt': contentOf(t, 'y', 200), 'gone/z.txt': contentOf(t, 'z', 200) };
      for (const [path, bytes] of Object.entries(files)) await upstream.put(path, bytes);
      const remote = await smartRemote(t, upstream, { retrievalCachePeriodSecs: 1, contentSynchronisation: { source: { originAbsenceDetection: true } } });
      const blind = await smartRemote(t, upstream, { retrievalCachePeriodSecs: 1 });
      for (const r of [remote, blind])
        for (const [path, bytes] of Object.entries(files)) expectServed(await t.http('GET', through(r, upstream, path)), bytes, `caching ${path}`);
      const info = async (r: string, path: string) =>
        (await expectStatus(t.http('GET', storageOf(r, upstream, path)), 200)).json() as { originAbsent?: boolean };
      expect((await info(remote, 'gone/x.txt')).originAbsent ?? false, 'not marked while the upstream has it').toBe(false);
      await upstream.remove('gone/x.txt');
      await upstream.remove('gone/y.txt');
      await sleep(1200);
      await t.step('found by storage info once the last check is older than the period', async () => {
        expect((await info(remote, 'gone/x.txt')).originAbsent).toBe(true);
      });
      await t.step('found by a listing merge', async () => {
        await expectStatus(t.http('GET', storageOf(remote, upstream, 'gone')), 200);
        expect((await info(remote, 'gone/y.txt')).originAbsent).toBe(true);
        expect((await info(remote, 'gone/z.txt')).originAbsent ?? false, 'z.txt is still upstream').toBe(false);
      });
      await t.step('still downloadable from the cache; a remote without detection marks nothing', async () => {
        expectServed(await t.http('GET', through(remote, upstream, 'gone/x.txt')), files['gone/x.txt'], 'the absent item');
        expect((await info(blind, 'gone/x.txt')).originAbsent ?? false).toBe(false);
      });
    },
  }),
];
