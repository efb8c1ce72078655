import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { listen } from './listen.ts';
import { outboundFetch } from './outbound.ts';
import { Recorder, type Exchange } from './recorder.ts';
import { clientRequest, peerServer } from './__fixtures__/peer.ts';
import { chunked, patternBytes, sha256 } from '../__fixtures__/bytes.ts';
import { tinyService } from './__fixtures__/tiny-service.ts';
import { FaultInjector } from '../faults/injector.ts';
import type { FaultPlanInput } from '../faults/plan.ts';

// The promise Toxiproxy's seed does not keep: the same plan and seed give the same faults, and
// the same recorded exchanges, whatever order 20 concurrent requests arrive in.

const COUNT = 20;
const ASCENDING = Array.from({ length: COUNT }, (_, i) => i);
const ORDERS = {
  ascending: ASCENDING,
  descending: [...ASCENDING].reverse(),
  interleaved: [...ASCENDING.filter((i) => i % 3 === 2), ...ASCENDING.filter((i) => i % 3 === 0), ...ASCENDING.filter((i) => i % 3 === 1)],
};

function plan(seed: number, direction: 'inbound' | 'outbound'): FaultPlanInput {
  const rule = { service: '*', direction, route: '/files/**', probability: 0.25 } as const;
  return {
    seed,
    rules: [
      { ...rule, fault: { kind: 'corrupt', offset: 1500 } },
      { ...rule, fault: { kind: 'truncate', afterBytes: 700 } },
      { ...rule, fault: { kind: 'reset', afterBytes: 2100 } },
      { ...rule, fault: { kind: 'checksum-header', mode: 'wrong' } },
    ],
  };
}

/** An exchange without its timing, which no seed can (or should) fix. */
function untimed({ startedAt: _startedAt, durationMs: _durationMs, ...rest }: Exchange): Omit<Exchange, 'startedAt' | 'durationMs'> {
  return rest;
}

function byPath(exchanges: readonly Exchange[]) {
  return exchanges.map(untimed).sort((a, b) => a.path.localeCompare(b.path));
}

/** Starts every request at once, in `order`, each a little later than the one before. */
async function concurrently<T>(order: readonly number[], run: (index: number) => Promise<T>): Promise<Map<number, T>> {
  const results = await Promise.all(order.map(async (index, position) => [index, await delay(position % 4, undefined).then(() => run(index))] as const));
  return new Map(results);
}

async function inboundRun(seed: number, order: readonly number[]) {
  const recorder = new Recorder();
  const listener = await listen(tinyService(), { faults: FaultInjector.fromJSON(plan(seed, 'inbound')), recorder });
  try {
    const views = await concurrently(order, (i) => clientRequest(`${listener.url}/files/${3000 + i}`));
    await recorder.settled();
    const seen = ASCENDING.map((i) => {
      const view = views.get(i)!;
      return { status: view.status, error: view.error, sha256: sha256(view.body), checksum: view.headers['x-checksum-sha256'] };
    });
    return { recorded: byPath(recorder.entries()), seen };
  } finally {
    await listener.close();
  }
}

async function outboundRun(seed: number, order: readonly number[]) {
  const recorder = new Recorder();
  const peer = await peerServer();
  const send = outboundFetch('source', { faults: FaultInjector.fromJSON(plan(seed, 'outbound')), recorder });
  try {
    const outcomes = await concurrently(order, async (i) => {
      const bytes = patternBytes(3000 + i, i);
      const request = new Request(`${peer.url}/files/${i}.bin`, {
        method: 'PUT',
        body: chunked(bytes),
        duplex: 'half',
        headers: { 'x-checksum-sha256': sha256(bytes) },
      });
      // What the service saw: the peer's answer (it reports the bytes it read), or the failure.
      return send(request).then(
        async (response) => `${response.status} ${await response.text()}`,
        (error: Error) => `failed: ${String(error.cause)}`,
      );
    });
    await recorder.settled();
    return { recorded: byPath(recorder.entries()), outcomes: ASCENDING.map((i) => outcomes.get(i)) };
  } finally {
    await peer.close();
  }
}

describe('determinism under concurrency', () => {
  it('inbound: same plan and seed → same faults and recorded exchanges, in any arrival order', async () => {
    const runs = await Promise.all(Object.values(ORDERS).map((order) => inboundRun(11, order)));
    const [first, ...others] = runs;
    for (const other of others) expect(other).toEqual(first);
    // The plan did something, and not the same thing to everyone.
    const kinds = new Set(first!.recorded.map((exchange) => exchange.fault?.kind ?? 'none'));
    expect(kinds.size).toBeGreaterThanOrEqual(3);
    // What the recorder says crossed the socket is what the client received.
    for (const [i, exchange] of first!.recorded.entries()) expect(exchange.response?.sha256).toBe(first!.seen[i]!.sha256);
  });

  it('outbound: same plan and seed → same faults and recorded exchanges, in any start order', async () => {
    const runs = await Promise.all(Object.values(ORDERS).map((order) => outboundRun(11, order)));
    const [first, ...others] = runs;
    for (const other of others) expect(other).toEqual(first);
    expect(new Set(first!.recorded.map((exchange) => exchange.fault?.kind ?? 'none')).size).toBeGreaterThanOrEqual(3);
  });

  it('a different seed gives different faults', async () => {
    const [eleven, twelve] = await Promise.all([inboundRun(11, ASCENDING), inboundRun(12, ASCENDING)]);
    const faults = (run: typeof eleven) => run.recorded.map((exchange) => exchange.fault?.kind ?? 'none');
    expect(faults(twelve)).not.toEqual(faults(eleven));
  });
});
