import { sha256 } from '../../kit/bundles.ts';
import { NotApplicable, type ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import type { FaultPlanInput } from '../../../simulator/faults/plan.ts';
import { attempt, cacheOf, smartRemote, startUpstream, type Upstream } from '../../kit/upstream.ts';
import { contentOf, expectServed, perUpstream, through, upstreamGets } from './upstreams.ts';

/**
 * An upstream that lies about its content, breaks off, or stalls: the client never gets a
 * complete, successful answer with bytes the upstream did not vouch for, nothing is cached, and
 * the next request fetches again (EDGE-SR-5, -6, -18).
 */

const PATH = 'pkg/faulty.bin';
/**
 * Listings show the cache alone (so they tell what was cached), and a failure does not make the
 * upstream assumed offline (EDGE-SR-9), so the next request is judged on its own.
 */
const CACHE_ONLY = { listRemoteFolderItems: false, assumedOfflinePeriodSecs: 0 };
const SIZE = 256 * 1024;

interface UpstreamFault {
  name: string;
  what: string;
  requirements: string[];
  /** The fault on the first download (and, for a header lie, the first HEAD too). */
  rule(route: string): FaultPlanInput['rules'][number];
  remote?: Record<string, unknown>;
}

const FAULTS: UpstreamFault[] = [
  {
    name: 'corrupt-body',
    what: 'sends other bytes than its checksum headers declare',
    requirements: ['EDGE-SR-5'],
    rule: (route) => ({ service: 'upstream', direction: 'inbound', route, method: 'GET', nth: 1, fault: { kind: 'corrupt', offset: SIZE - 100 } }),
  },
  {
    name: 'wrong-sha256-header',
    what: 'declares an SHA-256 the bytes do not have',
    requirements: ['EDGE-SR-5'],
    rule: (route) => ({
      service: 'upstream',
      direction: 'inbound',
      route,
      nth: 1,
      fault: { kind: 'checksum-header', mode: 'wrong', header: 'x-checksum-sha256' },
    }),
  },
  {
    name: 'wrong-sha1-header',
    what: 'declares an SHA-1 the bytes do not have',
    requirements: ['EDGE-SR-5'],
    rule: (route) => ({
      service: 'upstream',
      direction: 'inbound',
      route,
      nth: 1,
      fault: { kind: 'checksum-header', mode: 'wrong', header: 'x-checksum-sha1' },
    }),
  },
  {
    name: 'truncated',
    what: 'ends the body cleanly before its end',
    requirements: ['EDGE-SR-5', 'EDGE-SR-6'],
    rule: (route) => ({ service: 'upstream', direction: 'inbound', route, method: 'GET', nth: 1, fault: { kind: 'truncate', afterBytes: SIZE / 2 } }),
  },
  {
    name: 'reset-mid-body',
    what: 'resets the connection mid-body',
    requirements: ['EDGE-SR-6'],
    rule: (route) => ({ service: 'upstream', direction: 'inbound', route, method: 'GET', nth: 1, fault: { kind: 'reset', afterBytes: SIZE / 2 } }),
  },
  {
    name: 'stalls-before-the-end',
    what: 'stalls before the end of the body longer than socketTimeoutMillis',
    requirements: ['EDGE-SR-6'],
    rule: (route) => ({ service: 'upstream', direction: 'inbound', route, method: 'GET', nth: 1, fault: { kind: 'slow-close', ms: 4000 } }),
    remote: { socketTimeoutMillis: 1000 },
  },
  {
    name: 'stalls-before-answering',
    what: 'answers later than socketTimeoutMillis',
    requirements: ['EDGE-SR-6'],
    rule: (route) => ({ service: 'upstream', direction: 'inbound', route, method: 'GET', nth: 1, fault: { kind: 'latency', ms: 4000 } }),
    remote: { socketTimeoutMillis: 1000 },
  },
];

/**
 * The first download met the fault: the client got no complete, successful answer with bytes
 * other than the upstream's (a broken-off answer or a refusal; a complete 200 only if the Edge
 * fetched again within the request and served the true bytes), and nothing was cached: storage
 * info knows no file there, and the next download asks the upstream again and gets the bytes.
 */
export async function expectFaultLeftNothing(t: ScenarioContext, upstream: Upstream, remote: string, path: string, bytes: Buffer): Promise<void> {
  const first = await t.step('the download that meets the fault is not a complete success with other bytes', () => attempt(t, through(remote, upstream, path)));
  const refetched = first.complete && first.res.status === 200;
  if (refetched) {
    // A complete 200 is only right with the upstream's true bytes, from a second upstream GET.
    expect(sha256(first.res.body), 'a complete 200 after the fault carries the true bytes').toBe(sha256(bytes));
    expect(await upstreamGets(upstream, path), 'a complete 200 after the fault needs a second upstream GET').toBeGreaterThanOrEqual(2);
    return;
  }
  if (first.complete) expect(first.res.status, first.res.text).toBeGreaterThanOrEqual(400);
  await t.step('nothing is cached', async () => expect(await cacheOf(t, remote, upstream.root)).toEqual({}));
  await t.step('the next download fetches again and gets the true bytes', async () => {
    const before = await upstreamGets(upstream, path);
    expectServed(await t.http('GET', through(remote, upstream, path)), bytes, 'the download after the fault');
    expect(await upstreamGets(upstream, path), 'upstream GETs').toBe(before + 1);
    expectServed(await t.http('GET', through(remote, upstream, path)), bytes, 'the download from the cache');
    expect(await upstreamGets(upstream, path), 'upstream GETs').toBe(before + 1);
  });
}

export const faultScenarios = [
  ...FAULTS.flatMap((fault) =>
    perUpstream({
      id: `smart-remote/upstream-${fault.name}`,
      title: `an upstream that ${fault.what} leaves nothing cached and never gives the client a complete success with other bytes; the next request fetches again`,
      requirements: fault.requirements,
      async run(t, kind) {
        const upstream = await startUpstream(t, kind, {
          plan: (route) => ({ description: `the first download of ${PATH} ${fault.what}`, seed: t.seed, rules: [fault.rule(route(PATH))] }),
        });
        const bytes = contentOf(t, fault.name, SIZE);
        await upstream.put(PATH, bytes);
        const remote = await smartRemote(t, upstream, { ...CACHE_ONLY, ...fault.remote });
        await expectFaultLeftNothing(t, upstream, remote, PATH, bytes);
      },
    }),
  ),
  // The simulator only: another Edge of the target's kind holds nothing over the same limit.
  scenario({
    id: 'smart-remote/upstream-over-size-limit',
    title:
      "an upstream file larger than the Edge's maxUploadBytes (declared, or running past it without Content-Length) is not cached: 404, or 502 with hardFail",
    requirements: ['EDGE-SR-18'],
    needs: ['reach-loopback'],
    async run(t) {
      const kind = 'simulator';
      const limit = t.edge.limits?.maxUploadBytes;
      if (limit === undefined) throw new NotApplicable("the target does not know the Edge's maxUploadBytes");
      const SENDABLE = 48 * 1024 * 1024;
      if (limit >= SENDABLE) throw new NotApplicable(`the Edge's maxUploadBytes (${limit} bytes) is more than this scenario sends (${SENDABLE})`);
      const upstream = await startUpstream(t, kind, {
        // Without Content-Length, the Edge only finds out while the body passes.
        plan: (route) => ({
          seed: t.seed,
          rules: [{ service: 'upstream', direction: 'inbound', route: route('undeclared.bin'), method: 'GET', fault: { kind: 'slow-close', ms: 1 } }],
        }),
      });
      const bytes = contentOf(t, 'too-large', limit + 1);
      await upstream.put('declared.bin', bytes);
      await upstream.put('undeclared.bin', bytes);
      const soft = await smartRemote(t, upstream, CACHE_ONLY);
      const hard = await smartRemote(t, upstream, { ...CACHE_ONLY, hardFail: true });
      for (const path of ['declared.bin', 'undeclared.bin'])
        for (const [remote, status] of [
          [soft, 404],
          [hard, 502],
        ] as const)
          await t.step(`${path} through ${remote === hard ? 'a hardFail' : 'a'} remote`, async () => {
            const outcome = await attempt(t, through(remote, upstream, path));
            if (outcome.complete) expect(outcome.res.status, outcome.res.text.slice(0, 200)).toBe(status);
            expect(await cacheOf(t, remote, upstream.root), 'the cache').toEqual({});
          });
    },
  }),
];
