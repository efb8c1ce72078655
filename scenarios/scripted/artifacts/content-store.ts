import { basename, join } from 'node:path';
import { checksumsOf } from '../../../protocol/checksums.ts';
import { expectStatus, filesUnder } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, scratch } from '../../kit/uploads.ts';

/**
 * EDGE-ART-3, seen on the disk of a target that shows it: content is stored once per SHA-256,
 * named by it, and removed with its last reference.
 */

async function blobsOf(t: ScenarioContext, sha256: string): Promise<string[]> {
  const files = await filesUnder(join(t.edge.dataDir as string, 'filestore'));
  return files.filter((file) => basename(file) === sha256);
}

export const contentStoreScenarios = [
  scenario({
    id: 'artifacts/content-stored-once',
    title: 'identical content deployed twice is stored once, and reclaimed with its last reference',
    requirements: ['EDGE-ART-3'],
    needs: ['data-dir'],
    async run(t) {
      const dir = scratch(t, 'dedup');
      const body = `dedup content of ${dir}`;
      const { sha256 } = checksumsOf(body);
      await expectStatus(t.http('PUT', art(`${dir}/a.bin`), { body }), 201);
      await expectStatus(t.http('PUT', art(`${dir}/b.bin`), { body }), 201);
      expect(await blobsOf(t, sha256)).toHaveLength(1);
      await expectStatus(t.http('DELETE', art(`${dir}/a.bin`)), 204);
      expect(await blobsOf(t, sha256), 'b.bin still refers to it').toHaveLength(1);
      await expectStatus(t.http('DELETE', art(dir)), 204);
      expect(await blobsOf(t, sha256)).toEqual([]);
    },
  }),
  scenario({
    id: 'artifacts/overwrite-reclaims-content',
    title: 'content an overwrite replaced is reclaimed when nothing else refers to it',
    requirements: ['EDGE-ART-3'],
    needs: ['data-dir'],
    async run(t) {
      const path = `${scratch(t, 'reclaim')}/file.txt`;
      const first = `first content of ${path}`;
      await expectStatus(t.http('PUT', art(path), { body: first }), 201);
      expect(await blobsOf(t, checksumsOf(first).sha256)).toHaveLength(1);
      await expectStatus(t.http('PUT', art(path), { body: 'second' }), 201);
      expect(await blobsOf(t, checksumsOf(first).sha256)).toEqual([]);
    },
  }),
];
