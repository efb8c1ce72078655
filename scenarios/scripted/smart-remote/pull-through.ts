import { expectStatus } from '../../kit/assertions.ts';
import { sha256 } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { smartRemote, startUpstream } from '../../kit/upstream.ts';
import { contentOf, expectServed, perUpstream, storageOf, through, upstreamGets } from './upstreams.ts';

/** Pull-through: a miss fetches from the upstream into the cache, then the cache answers (EDGE-SR-3, -4, -12). */

const SIZES = [
  { name: 'small', path: 'lib/small.bin', size: 1234 },
  { name: 'large', path: 'lib/large/large.bin', size: 24 * 1024 * 1024 },
];

export const pullThroughScenarios = [
  ...SIZES.flatMap(({ name, path, size }) =>
    perUpstream({
      id: `smart-remote/pull-through-${name}`,
      title: `a ${name} file (${size} bytes) is fetched from the upstream on a miss with its checksums, then served from the cache without asking the upstream again`,
      requirements: ['EDGE-SR-3', 'EDGE-SR-4', 'EDGE-SR-12'],
      async run(t, kind) {
        const upstream = await startUpstream(t, kind);
        const bytes = contentOf(t, path, size);
        await upstream.put(path, bytes);
        const remote = await smartRemote(t, upstream);
        await t.step('the miss is fetched and served with the upstream checksums', async () => {
          const res = await t.http('GET', through(remote, upstream, path));
          expectServed(res, bytes);
          expect(res.headers['x-artifactory-origin-remote-path'], 'X-Artifactory-Origin-Remote-Path').toBe(`${upstream.root}/${path}`);
          expect(await upstreamGets(upstream, path)).toBe(1);
        });
        await t.step('storage info shows the cached file and where it came from', async () => {
          const info = (await expectStatus(t.http('GET', storageOf(remote, upstream, path)), 200)).json() as Record<string, unknown>;
          expect(info).toMatchObject({
            repo: remote,
            path: `/${upstream.root}/${path}`,
            size: String(size),
            remoteUrl: `${upstream.url}/${upstream.root}/${path}`,
          });
          expect((info.checksums as Record<string, string>).sha256, 'the cached checksum').toBe(sha256(bytes));
        });
        await t.step('the next downloads come from the cache: no upstream GET', async () => {
          expectServed(await t.http('GET', through(remote, upstream, path)), bytes, 'the second download');
          expectServed(await t.http('GET', through(remote, upstream, path)), bytes, 'the third download');
          expect(await upstreamGets(upstream, path)).toBe(1);
        });
      },
    }),
  ),
  ...perUpstream({
    id: 'smart-remote/head-then-get',
    title: 'a miss asks the upstream with HEAD then GET; with bypassHeadRequests only GET',
    requirements: ['EDGE-SR-4'],
    async run(t, kind) {
      const upstream = await startUpstream(t, kind);
      const bytes = contentOf(t, 'head', 300);
      await upstream.put('a/head.txt', bytes);
      await upstream.put('b/head.txt', bytes);
      const remote = await smartRemote(t, upstream);
      const bypassing = await smartRemote(t, upstream, { bypassHeadRequests: true });
      const methods = async (path: string) => (await upstream.served(path)).filter((e) => e.method === 'HEAD' || e.method === 'GET').map((e) => e.method);
      await t.step('HEAD, then GET', async () => {
        expectServed(await t.http('GET', through(remote, upstream, 'a/head.txt')), bytes);
        expect(await methods('a/head.txt')).toEqual(['HEAD', 'GET']);
      });
      await t.step('bypassHeadRequests: GET alone', async () => {
        expectServed(await t.http('GET', through(bypassing, upstream, 'b/head.txt')), bytes);
        expect(await methods('b/head.txt')).toEqual(['GET']);
      });
    },
  }),
];
