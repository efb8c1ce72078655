import { ConfigError, type EdgeConfig } from '../../config.ts';
import { lockDataDir } from '../../startup/data-dir-lock.ts';
import { contentReferences } from '../metadata.ts';
import { openMetadataStore } from '../open-metadata.ts';
import { openShardedStore } from '../open-content.ts';
import type { RebalanceReport } from './sharded-content.ts';

/**
 * EDGE-BIN-4: `edgeproof storage rebalance`. Holds the data directory's lock, so it never runs
 * beside an Edge serving the same data (whose reclaiming could race the copies), and reads the
 * references from the metadata, so content no shard holds any more is reported lost.
 */
export async function rebalanceShards(config: EdgeConfig): Promise<RebalanceReport> {
  if (config.binariesType !== 'sharded') throw new ConfigError(`binariesType is ${config.binariesType}: only a sharded filestore is rebalanced`);
  const lock = await lockDataDir(config.dataDir);
  try {
    const metadata = await openMetadataStore(config);
    try {
      const content = await openShardedStore(config, contentReferences(metadata));
      return await content.rebalance();
    } finally {
      await metadata.close();
    }
  } finally {
    await lock.release();
  }
}
