import type { StagedContent, StagingFile } from './content.ts';

/**
 * EDGE-ART-2: `source` fed into `staging` chunk by chunk (hashed as it goes, nothing read twice)
 * and finished. On any failure (limit passed, client gone, disk error) the staging is aborted
 * before the error surfaces, so nothing is left behind.
 */
export async function stageStream(staging: StagingFile, source: AsyncIterable<Uint8Array>): Promise<StagedContent> {
  try {
    for await (const chunk of source) await staging.write(chunk);
    return await staging.finish();
  } catch (error) {
    await staging.abort();
    throw error;
  } finally {
    await staging.closeReader();
  }
}
