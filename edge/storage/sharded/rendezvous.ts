import { createHash } from 'node:crypto';

/**
 * Highest-random-weight (rendezvous) order of `shards` for one content: stable for as long as
 * the shard names are, and adding or removing a shard moves only the content it wins or held.
 */
export function rendezvousOrder<T extends { name: string }>(shards: readonly T[], sha256: string): T[] {
  const weight = (shard: T) => createHash('sha256').update(`${shard.name}\0${sha256}`).digest('hex');
  return shards
    .map((shard) => [weight(shard), shard] as const)
    .sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
    .map(([, shard]) => shard);
}
