import { describe, expect, it } from 'vitest';
import { batched } from './batched.ts';

/** A run that holds until released, recording the batches it was given. */
function heldRuns() {
  const batches: number[][] = [];
  const releases: ((error?: Error) => void)[] = [];
  const run = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(items);
      releases.push((error) => (error ? reject(error) : resolve()));
    });
  const release = async (error?: Error) => {
    releases.shift()?.(error);
    await new Promise((settle) => setImmediate(settle));
  };
  return { batches, run, release };
}

describe('batched calls', () => {
  it('EDGE-BIN-8: the first call runs at once; calls during a run go together in the next, at most max each', async () => {
    const held = heldRuns();
    const one = batched(held.run, 3);
    const done: number[] = [];
    const calls = [1, 2, 3, 4, 5, 6].map((n) => one(n).then(() => done.push(n)));
    expect(held.batches).toEqual([[1]]);
    await held.release();
    expect(done).toEqual([1]);
    expect(held.batches).toEqual([[1], [2, 3, 4]]);
    await held.release();
    expect(held.batches).toEqual([[1], [2, 3, 4], [5, 6]]);
    await held.release();
    await Promise.all(calls);
    expect(done).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('EDGE-BIN-8: a failed run rejects the calls of its batch only; the next batch still runs', async () => {
    const held = heldRuns();
    const one = batched(held.run, 10);
    const first = one(1);
    const refused = Promise.allSettled([one(2), one(3)]);
    await held.release();
    await held.release(new Error('store said no'));
    await expect(first).resolves.toBeUndefined();
    expect((await refused).map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual(['Error: store said no', 'Error: store said no']);
    const fourth = one(4);
    expect(held.batches).toEqual([[1], [2, 3], [4]]);
    await held.release();
    await expect(fourth).resolves.toBeUndefined();
  });
});
