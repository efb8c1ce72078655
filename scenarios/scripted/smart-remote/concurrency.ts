import { expect } from '../../kit/expect.ts';
import { smartRemote, startUpstream } from '../../kit/upstream.ts';
import { contentOf, expectServed, perUpstream, through, upstreamGets } from './upstreams.ts';

/**
 * Many clients ask for one uncached file at once: one upstream GET serves them all (EDGE-SR-7).
 * The upstream sends slowly, so the requests really overlap the one transfer; the 100 MiB case
 * of the issue is the benchmark's (bench/), a few MiB show the rule.
 */

const CLIENTS = 100;
const SIZE = 2 * 1024 * 1024;
/** About two seconds for the whole body: every request arrives while it is in flight. */
const BYTES_PER_SECOND = SIZE / 2;

export const concurrencyScenarios = perUpstream({
  id: 'smart-remote/concurrent-misses-one-upstream-get',
  title: `${CLIENTS} concurrent requests for one uncached ${SIZE / 1024 / 1024} MiB file cause exactly one upstream GET, and every client gets the whole file`,
  requirements: ['EDGE-SR-7'],
  async run(t, kind) {
    const path = 'big/shared.bin';
    const upstream = await startUpstream(t, kind, {
      plan: (route) => ({
        seed: t.seed,
        rules: [
          { service: 'upstream', direction: 'inbound', route: route(path), method: 'GET', fault: { kind: 'bandwidth', bytesPerSecond: BYTES_PER_SECOND } },
        ],
      }),
    });
    const bytes = contentOf(t, path, SIZE);
    await upstream.put(path, bytes);
    const remote = await smartRemote(t, upstream);
    const answers = await t.step(`${CLIENTS} downloads at once`, () =>
      Promise.all(Array.from({ length: CLIENTS }, () => t.http('GET', through(remote, upstream, path)))),
    );
    for (const [i, res] of answers.entries()) expectServed(res, bytes, `download ${i + 1}`);
    expect(await upstreamGets(upstream, path), 'upstream GETs').toBe(1);
  },
});
