import { resolve, join } from 'node:path';
import { type EdgeConfig, shardDirs } from '../config.ts';
import { StartupRefusal } from '../startup/refusal.ts';
import { CachedContentStore } from './cache/cached-content.ts';
import type { ContentReferences, ContentStore } from './content.ts';
import type { Disk } from './disk.ts';
import { FileStore } from './filestore.ts';
import { LocalContentStore } from './local-content.ts';
import type { ObjectBackend } from './object/object-backend.ts';
import { ObjectContentStore } from './object/object-content.ts';
import { ShardedContentStore } from './sharded/sharded-content.ts';

/** Test seams a content store honours; never set from configuration or HTTP. */
export interface ContentSeams {
  disk?: Disk | undefined;
}

/** The content (binary) store the configuration names: the one place that chooses among implementations. */
export async function openContentStore(config: EdgeConfig, references: ContentReferences, seams: ContentSeams = {}): Promise<ContentStore> {
  switch (config.binariesType) {
    case 'sharded':
      return openShardedStore(config, references);
    case 's3': {
      // Loaded only when configured, as Azure's: the AWS SDK holds ~20 MiB of a default Edge's memory otherwise.
      const { S3Backend, s3PartBytesFor } = await import('./object/s3-backend.ts');
      return openObjectStore(
        config,
        references,
        new S3Backend(s3Settings(config), { partBytes: s3PartBytesFor(Math.max(config.maxUploadBytes, config.maxBundleBytes)) }),
      );
    }
    case 'azure': {
      // Loaded only when configured: the Azure SDK is large.
      const { AzureBackend } = await import('./object/azure-backend.ts');
      return openObjectStore(config, references, new AzureBackend(config.azureConnectionString ?? '', config.azureContainer ?? ''));
    }
    default: {
      const files = new FileStore(join(config.dataDir, 'filestore'), seams.disk);
      await files.init();
      return new LocalContentStore(files, references);
    }
  }
}

/** EDGE-BIN-4: the shards `binariesShards` names (config.ts has checked there are enough). */
export async function openShardedStore(config: EdgeConfig, references: ContentReferences): Promise<ShardedContentStore> {
  const shards = await Promise.all(
    shardDirs(config.binariesShards).map(async (dir) => {
      const name = resolve(dir);
      const files = new FileStore(name);
      await files.init().catch((error: Error) => {
        throw new StartupRefusal(`shard ${name} cannot be used: ${error.message}`);
      });
      return { name, files };
    }),
  );
  return new ShardedContentStore(shards, config.binariesRedundancy, references, await openSpool(config));
}

function s3Settings(config: EdgeConfig) {
  return {
    endpoint: config.s3Endpoint,
    region: config.s3Region,
    bucket: config.s3Bucket ?? '',
    prefix: config.s3Prefix,
    accessKeyId: config.s3AccessKeyId,
    secretAccessKey: config.s3SecretAccessKey,
    forcePathStyle: config.s3ForcePathStyle,
  };
}

/** EDGE-BIN-5: an object store that cannot be reached refuses the start in one line, with no secret in it. */
async function openObjectStore(config: EdgeConfig, references: ContentReferences, backend: ObjectBackend): Promise<ContentStore> {
  try {
    await backend.check();
  } catch (error) {
    const said = error instanceof Error ? `${error.name}${error.message && error.message !== error.name ? `: ${error.message}` : ''}` : String(error);
    throw new StartupRefusal(`binary store ${backend.where} cannot be reached (${said.replace(/\s+/g, ' ').slice(0, 200)})`);
  }
  const remote = new ObjectContentStore(backend, references, await openSpool(config));
  if (config.binariesCacheMaxBytes === 0) return remote;
  return CachedContentStore.open(remote, new FileStore(join(config.dataDir, 'cache')), references, config.binariesCacheMaxBytes);
}

/** Local staging of the stores that cannot read their own back (EDGE-BIN-2). */
async function openSpool(config: EdgeConfig): Promise<FileStore> {
  const spool = new FileStore(join(config.dataDir, 'spool'));
  await spool.init();
  return spool;
}
