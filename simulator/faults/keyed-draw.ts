import { createHash } from 'node:crypto';

/**
 * A uniform number in [0, 1) that is a pure function of its key. Each probabilistic decision
 * takes its own draw keyed by (seed, rule, method, path, occurrence) instead of the next value
 * of one shared generator, so a decision never depends on how many other exchanges happened
 * before it, i.e. on the interleaving of concurrent requests. This is what Toxiproxy's `-seed`
 * fails to give (its toxics read the global `math/rand`).
 */
export function keyedDraw(...key: readonly (string | number)[]): number {
  const digest = createHash('sha256').update(JSON.stringify(key)).digest();
  // 48 bits fit a double exactly, so every value is reachable and none is rounded up to 1.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
