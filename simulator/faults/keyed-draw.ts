import { createHash } from 'node:crypto';

/**
 * A uniform number in [0, 1) that is a pure function of its key. Each probabilistic decision
 * takes its own draw keyed by (seed, rule, service, method, path, occurrence), not the next value
 * of one shared generator, so a decision never depends on how many other exchanges happened
 * before it, i.e. on the interleaving of concurrent requests. Toxiproxy's `-seed` never reaches
 * its toxics (they read the global `math/rand`; harness-anchors.md §7), and even a seeded shared
 * generator would hand out its values in arrival order.
 */
export function keyedDraw(...key: readonly (string | number)[]): number {
  const digest = createHash('sha256').update(JSON.stringify(key)).digest();
  // 48 bits fit a double exactly, so every value is reachable and none is rounded up to 1.
  return digest.readUIntBE(0, 6) / 2 ** 48;
}
