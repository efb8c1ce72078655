import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumsOf } from '../../protocol/checksums.ts';
import { DigestThread } from './digest-thread.ts';
import { DIGEST_BLOCK, SplitDigests } from './split-digests.ts';

const MiB = 1024 * 1024;

/** Deterministic bytes: position-dependent, so a block hashed twice or out of order changes the digest. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed + (i >> 10)) & 0xff;
  return out;
}

async function digestsOf(whole: Buffer, cuts: number[], threads?: DigestThread) {
  const digests = new SplitDigests(threads);
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < whole.length).sort((a, b) => a - b), whole.length]) {
    if (cut <= at) continue;
    digests.update(whole.subarray(at, cut));
    await digests.caughtUp();
    at = cut;
  }
  return digests.digests();
}

describe('SplitDigests (issue #13): SHA-256 here, MD5 and SHA-1 on the digest thread past a MiB', () => {
  it('gives the one-pass digests at the sizes around a block', async () => {
    for (const size of [0, 1, DIGEST_BLOCK - 1, DIGEST_BLOCK, DIGEST_BLOCK + 1, 3 * DIGEST_BLOCK + 5]) {
      const whole = bytes(size, size);
      expect(await digestsOf(whole, [65536, DIGEST_BLOCK - 3, DIGEST_BLOCK + 65536]), `size ${size}`).toEqual(checksumsOf(whole));
    }
  });

  it('gives the one-pass digests however the bytes are cut (property)', async () => {
    // fast-check prints the seed and path of a failure; replay with { seed, path }.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 * MiB }), fc.array(fc.integer({ min: 0, max: 3 * MiB }), { maxLength: 12 }), async (size, cuts) => {
        const whole = bytes(size, cuts.length);
        expect(await digestsOf(whole, cuts)).toEqual(checksumsOf(whole));
      }),
      { numRuns: 25, seed: 13 },
    );
  });

  it('concurrent stagings through one thread each get their own digests', async () => {
    const wholes = [bytes(2 * MiB + 7, 1), bytes(3 * MiB, 2), bytes(MiB + 1, 3)];
    const results = await Promise.all(wholes.map((whole, i) => digestsOf(whole, [1000 * (i + 1), MiB, 2 * MiB - 1])));
    expect(results).toEqual(wholes.map((whole) => checksumsOf(whole)));
  });

  it('a thread that dies fails the digests, never hangs them', async () => {
    const dying = new DigestThread("require('node:worker_threads').parentPort.on('message', () => process.exit(3));");
    await expect(digestsOf(bytes(2 * MiB, 0), [], dying)).rejects.toThrow(/exited with code 3/);
    // The next staging gets a new thread (this one dies again, the same way).
    await expect(digestsOf(bytes(2 * MiB, 0), [], dying)).rejects.toThrow(/exited with code 3/);
    // Disposing of digests whose thread died does not throw: an abort must still remove its file.
    const orphaned = new SplitDigests(dying);
    // More than the backlog: caughtUp waits, and fails when the thread dies, as a staging's write does.
    orphaned.update(bytes(6 * MiB, 1));
    await expect(orphaned.caughtUp()).rejects.toThrow(/exited with code 3/);
    expect(() => orphaned.dispose()).not.toThrow();
  });

  it('caughtUp waits while the thread is more than the backlog behind', async () => {
    const silent = new DigestThread("require('node:worker_threads').parentPort.on('message', () => {});");
    const digests = new SplitDigests(silent);
    digests.update(bytes(4 * MiB, 0));
    await expect(digests.caughtUp()).resolves.toBeUndefined();
    digests.update(bytes(2 * MiB, 0));
    const waited = await Promise.race([digests.caughtUp().then(() => 'caught up'), new Promise((resolve) => setTimeout(resolve, 200, 'waiting'))]);
    expect(waited).toBe('waiting');
    digests.dispose();
  });

  it('the thread stops once idle and starts again for the next large file', async () => {
    const threads = new DigestThread(undefined, 50);
    const whole = bytes(2 * MiB, 9);
    expect(await digestsOf(whole, [], threads)).toEqual(checksumsOf(whole));
    expect(threads.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(threads.running).toBe(false);
    expect(await digestsOf(whole, [MiB], threads)).toEqual(checksumsOf(whole));
    expect(threads.running).toBe(true);
  });
});
