import type { Checksums } from '../../protocol/checksums.ts';
import type { Properties } from '../../protocol/wire/properties.ts';

/**
 * A file row as the metadata store writes it, for a deploy (`ItemStore.putFile`) and for a
 * bundle's publication alike. A leaf module, so metadata.ts and bundles.ts share it without
 * importing each other.
 */
export interface FileRecord {
  repo: string;
  path: string;
  size: number;
  checksums: Checksums;
  mimeType: string;
  by: string;
  at: number;
  properties: Properties;
}
