import type { StagedContent, StagingFile } from './content.ts';

/** Bytes asked of a spool per read when passing it on. */
const SPOOL_READ = 1024 * 1024;

/** The spool's bytes, in order, while its reader is open: what is passed on to the real store. */
export type SpooledBytes = () => AsyncGenerator<Uint8Array>;

/**
 * EDGE-BIN-2: staging for a store whose staging cannot be read back while it grows (an object
 * store, shards unknown until the SHA-256 is): a local spool file takes the bytes and serves
 * read-back (EDGE-SR-7); at `finish` `transfer` passes them to the store's own staging and the
 * spool goes. Readers already reading go on through the spool's open descriptor.
 */
export function spooledStaging(local: StagingFile, transfer: (spooled: StagedContent, bytes: SpooledBytes) => Promise<StagedContent>): StagingFile {
  return {
    get written() {
      return local.written;
    },
    write: (chunk) => local.write(chunk),
    readBack: (position, length) => local.readBack(position, length),
    finish: async () => {
      const spooled = await local.finish();
      try {
        return await transfer(spooled, () => spooledBytes(local, spooled.size));
      } finally {
        await spooled.discard();
      }
    },
    abort: () => local.abort(),
    closeReader: () => local.closeReader(),
  };
}

async function* spooledBytes(staging: StagingFile, size: number): AsyncGenerator<Uint8Array> {
  for (let position = 0; position < size; ) {
    const chunk = await staging.readBack(position, Math.min(SPOOL_READ, size - position));
    if (chunk.length === 0) throw new Error(`the spool ends at ${position} of ${size} bytes`);
    position += chunk.length;
    yield chunk;
  }
}
