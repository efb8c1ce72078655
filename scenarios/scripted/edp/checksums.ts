import { edpPaths } from '../../../protocol/wire/edp.ts';
import { answeredBeforeBodyEnds, flipByte, inChunks, sentHeld } from '../../kit/bodies.ts';
import { commit, sha256, signedBundle, type BundleFile } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawOptions, RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, expectEdpError, fileStates, freshFile, open, refusalSeries, type Opened } from '../../kit/transactions.ts';

/**
 * EDP-FILE-2 … EDP-FILE-4, EDP-PUB-2: bytes that are not the signed bytes never get in. The file
 * is streamed in 64 KiB chunks or sent whole with a Content-Length; a changed byte is tried at
 * each class of position (first, inside a chunk, last, on both sides of a chunk boundary).
 */

const CHUNK = 64 * 1024;
/** Three whole chunks and part of a fourth, so that the last byte is not on a boundary. */
const SIZE = 3 * CHUNK + 100;

interface Target {
  repo: string;
  file: BundleFile;
  tx: Opened;
}

async function oneFileTransaction(t: ScenarioContext, name: string): Promise<Target> {
  const repo = await bundleTarget(t);
  const file = freshFile(t, `${repo}/${name}/data.bin`, SIZE);
  return { repo, file, tx: await open(t, await signedBundle(t, t.name(name), '1.0', [file])) };
}

/** `bytes` for `file`, declaring `sha256` (the signed one by default), sent whole or in chunks. */
function put(t: ScenarioContext, id: string, file: BundleFile, bytes: Buffer, how: 'whole' | 'chunked', sha = sha256(file.bytes)): Promise<RawResponse> {
  const body: RawOptions['body'] = how === 'whole' ? bytes : inChunks(bytes, CHUNK);
  return t.http('PUT', edpPaths.file(id, file.repoPath), { headers: { 'x-checksum-sha256': sha }, body });
}

/** The signed bytes get in after all the refusals, and are published exactly (EDP-PUB-2). */
async function deliverAndPublish(t: ScenarioContext, { file, tx }: Target): Promise<void> {
  await t.step('the signed bytes, streamed, are accepted and published exactly', async () => {
    expect((await put(t, tx.id, file, file.bytes, 'chunked')).status).toBe(201);
    expect((await commit(t, tx.id)).status).toBe(200);
    const res = await t.http('GET', `/artifactory/${file.repoPath}`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(SIZE);
    expect(sha256(res.body)).toBe(sha256(file.bytes));
    expect(res.headers['x-checksum-sha256']).toBe(sha256(file.bytes));
    const info = await t.clients().artifactory.fileInfo(file.repoPath);
    expect(info).toMatchObject({ size: String(SIZE), checksums: { sha256: sha256(file.bytes) } });
  });
}

export const checksumScenarios = [
  scenario({
    id: 'edp/changed-byte-refused',
    title: 'one changed byte, first, inside, last or at a chunk boundary, sent whole or streamed, is 409 EDP_CHECKSUM_MISMATCH; nothing is staged',
    requirements: ['EDP-FILE-4', 'EDP-PUB-2', 'EDP-TX-2'],
    async run(t) {
      const target = await oneFileTransaction(t, 'changed');
      const { file, tx } = target;
      const middle = 1 + ((t.seed >>> 0) % (SIZE - 2));
      const positions: [string, number][] = [
        ['the first byte', 0],
        [`a byte inside (seeded: ${middle})`, middle],
        ['the last byte of the first chunk', CHUNK - 1],
        ['the first byte of the second chunk', CHUNK],
        ['the last byte', SIZE - 1],
      ];
      const refused = await refusalSeries(t);
      for (const [where, at] of positions) {
        for (const how of ['whole', 'chunked'] as const) {
          await t.step(`${where}, ${how}`, () => refused.send(() => put(t, tx.id, file, flipByte(file.bytes, at), how), 409, 'EDP_CHECKSUM_MISMATCH'));
        }
      }
      expect(await fileStates(t, tx.id)).toEqual(['MISSING']);
      await deliverAndPublish(t, target);
    },
  }),

  scenario({
    id: 'edp/length-off-by-one',
    title: 'one byte short is 409 EDP_CHECKSUM_MISMATCH and the commit stays incomplete; one byte long is 413 EDP_SIZE_EXCEEDED, without reading on',
    requirements: ['EDP-FILE-3', 'EDP-FILE-4', 'EDP-TX-8'],
    async run(t) {
      const target = await oneFileTransaction(t, 'length');
      const { file, tx } = target;
      const short = file.bytes.subarray(0, SIZE - 1);
      const long = Buffer.concat([file.bytes, Buffer.from([0x2a])]);
      const refused = await refusalSeries(t);
      for (const how of ['whole', 'chunked'] as const) {
        await t.step(`one byte short, ${how}`, () => refused.send(() => put(t, tx.id, file, short, how), 409, 'EDP_CHECKSUM_MISMATCH'));
        await t.step(`one byte long, ${how}`, () => refused.send(() => put(t, tx.id, file, long, how), 413, 'EDP_SIZE_EXCEEDED'));
      }
      await t.step('no body at all', () => refused.send(() => put(t, tx.id, file, Buffer.alloc(0), 'whole'), 409, 'EDP_CHECKSUM_MISMATCH'));
      await t.step('a Content-Length one over is refused before the body is sent', async () => {
        const res = await sentHeld(t, 'PUT', edpPaths.file(tx.id, file.repoPath), long, { headers: { 'x-checksum-sha256': sha256(file.bytes) } });
        expectEdpError(res, 413, 'EDP_SIZE_EXCEEDED');
      });
      await t.step('a stream is cut off once it passes the signed size', async () => {
        const res = await answeredBeforeBodyEnds(
          (body) => t.http('PUT', edpPaths.file(tx.id, file.repoPath), { headers: { 'x-checksum-sha256': sha256(file.bytes) }, body }),
          long,
          Buffer.alloc(4 * CHUNK),
        );
        expectEdpError(res, 413, 'EDP_SIZE_EXCEEDED');
      });
      await t.step('the commit is refused: the file is still missing', () =>
        refused.send(() => commit(t, tx.id), 409, 'EDP_INCOMPLETE', { missing: [file.repoPath] }),
      );
      await deliverAndPublish(t, target);
    },
  }),

  scenario({
    id: 'edp/checksum-header-disagrees',
    title: 'an X-Checksum-Sha256 that is not the signed checksum is 409 EDP_CHECKSUM_MISMATCH before any of the body is read',
    requirements: ['EDP-FILE-2', 'EDP-FILE-4'],
    async run(t) {
      const target = await oneFileTransaction(t, 'header');
      const { file, tx } = target;
      const corrupt = flipByte(file.bytes, SIZE >> 1);
      const sendHeld = (sha: string, bytes: Buffer) =>
        sentHeld(t, 'PUT', edpPaths.file(tx.id, file.repoPath), bytes, { headers: { 'x-checksum-sha256': sha } });
      const refused = await refusalSeries(t);
      await t.step('the signed bytes under another checksum', () =>
        refused.send(() => sendHeld(sha256('something else'), file.bytes), 409, 'EDP_CHECKSUM_MISMATCH'),
      );
      await t.step('changed bytes under their own checksum', () => refused.send(() => sendHeld(sha256(corrupt), corrupt), 409, 'EDP_CHECKSUM_MISMATCH'));
      await t.step('a header that is no checksum', () => refused.send(() => sendHeld('not-a-checksum', file.bytes), 409, 'EDP_CHECKSUM_MISMATCH'));
      await t.step('the right header over changed bytes, read to the end', () =>
        refused.send(() => put(t, tx.id, file, corrupt, 'whole'), 409, 'EDP_CHECKSUM_MISMATCH'),
      );
      expect(await fileStates(t, tx.id)).toEqual(['MISSING']);
      await deliverAndPublish(t, target);
    },
  }),
];
