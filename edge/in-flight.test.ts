import { describe, expect, it } from 'vitest';
import { inFlight } from './in-flight.ts';

describe('work on many items, a bounded number at a time', () => {
  it('EDGE-BIN-8: never more than the limit at once, and as many as the limit while items remain; results in the items order', async () => {
    let running = 0;
    const peaks: number[] = [];
    const results = await inFlight([5, 1, 4, 2, 3, 0, 6, 7], 3, async (n) => {
      running++;
      peaks.push(running);
      await new Promise((done) => setTimeout(done, n));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60, 70]);
    expect(Math.max(...peaks)).toBe(3);
    expect(peaks.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('EDGE-BIN-8: a failure starts nothing more and is thrown once the calls under way have settled', async () => {
    const started: number[] = [];
    let settledSlow = false;
    const work = async (n: number) => {
      started.push(n);
      if (n === 1) throw new Error('item 1 failed');
      await new Promise((done) => setTimeout(done, 20));
      if (n === 0) settledSlow = true;
    };
    await expect(inFlight([0, 1, 2, 3, 4], 2, work)).rejects.toThrow('item 1 failed');
    expect(settledSlow).toBe(true);
    expect(started).toEqual([0, 1]);
  });
});
