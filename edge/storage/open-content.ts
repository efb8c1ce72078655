import { join } from 'node:path';
import type { EdgeConfig } from '../config.ts';
import type { ContentReferences, ContentStore } from './content.ts';
import type { Disk } from './disk.ts';
import { FileStore } from './filestore.ts';
import { LocalContentStore } from './local-content.ts';

/** Test seams a content store honours; never set from configuration or HTTP. */
export interface ContentSeams {
  disk?: Disk | undefined;
}

/** The content (binary) store the configuration names: the one place that chooses among implementations. */
export async function openContentStore(config: EdgeConfig, references: ContentReferences, seams: ContentSeams = {}): Promise<ContentStore> {
  const files = new FileStore(join(config.dataDir, 'filestore'), seams.disk);
  await files.init();
  return new LocalContentStore(files, references);
}
