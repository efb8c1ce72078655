import { createHash } from 'node:crypto';
import { checksumsOf } from '../../../protocol/checksums.ts';
import { expectRefusedAsBefore, expectStatus, snapshot } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { expect } from '../../kit/expect.ts';
import { adminName } from '../../kit/identities.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, scratch, UPLOADS, uploadsStorage as storage } from '../../kit/uploads.ts';

/** Deploying into the uploads repository: the answer, matrix properties, folders, overwrites (EDGE-ART-6, EDGE-ART-2). */

async function* chunks(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export const deployScenarios = [
  scenario({
    id: 'artifacts/deploy-answers-item-created',
    title: 'a deploy answers 201 with the ItemCreated body: size as a string, all three checksums of the bytes sent',
    requirements: ['EDGE-ART-6', 'EDGE-ART-2'],
    async run(t) {
      const path = `${scratch(t, 'deploy')}/docs/readme.txt`;
      const body = 'hello edge\n';
      const res = await expectStatus(t.http('PUT', art(path), { body }), 201);
      const sums = checksumsOf(body);
      expect(res.json()).toMatchObject({
        repo: UPLOADS,
        path: `/${path}`,
        size: String(Buffer.byteLength(body)),
        mimeType: 'text/plain',
        createdBy: adminName(t),
        checksums: sums,
        originalChecksums: sums,
        downloadUri: `${t.edge.url}/artifactory/${UPLOADS}/${path}`,
      });
    },
  }),
  scenario({
    id: 'artifacts/deploy-streamed-without-length',
    title: 'a body streamed in chunks without Content-Length is stored whole, with the checksums of the bytes as they arrived',
    requirements: ['EDGE-ART-2', 'EDGE-ART-6'],
    async run(t) {
      const path = `${scratch(t, 'streamed')}/big.bin`;
      // Pseudo-random (seeded) bytes, so a dropped or repeated chunk changes every checksum.
      const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
      let x = t.seed >>> 0 || 1;
      for (let i = 0; i < bytes.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
      const res = await expectStatus(t.http('PUT', art(path), { body: chunks(bytes, 64 * 1024 + 3) }), 201);
      expect(res.json()).toMatchObject({ size: String(bytes.length), checksums: checksumsOf(bytes) });
      const back = await expectStatus(t.http('GET', art(path)), 200);
      expect(createHash('sha256').update(back.body).digest('hex')).toBe(checksumsOf(bytes).sha256);
    },
  }),
  scenario({
    id: 'artifacts/matrix-parameters-become-properties',
    title: 'matrix parameters on a deploy become the properties of the file, repeated keys as several values',
    requirements: ['EDGE-ART-6'],
    async run(t) {
      const path = `${scratch(t, 'matrix')}/props/app.jar`;
      await expectStatus(t.http('PUT', `${art(path)};status=DEV;rating=5;tag=a;tag=b%20c`, { body: 'jar' }), 201);
      const props = await expectStatus(t.http('GET', `${storage(path)}?properties`), 200);
      expect(props.json()).toMatchObject({ properties: { status: ['DEV'], rating: ['5'], tag: ['a', 'b c'] } });
    },
  }),
  scenario({
    id: 'artifacts/folder-from-trailing-slash',
    title: 'a PUT of a path ending in / creates the folder with its parents',
    requirements: ['EDGE-ART-6'],
    async run(t) {
      const dir = scratch(t, 'folders');
      await expectStatus(t.http('PUT', art(`${dir}/empty/nested/`)), 201);
      const info = await expectStatus(t.http('GET', storage(`${dir}/empty`)), 200);
      expect(info.json()).toMatchObject({ path: `/${dir}/empty`, children: [{ uri: '/nested', folder: true }] });
    },
  }),
  scenario({
    id: 'artifacts/file-folder-clash-refused',
    title: 'a file where a folder is, or below a file, is refused with 409 and stores nothing',
    requirements: ['EDGE-ART-6'],
    async run(t) {
      const dir = scratch(t, 'clash');
      await expectStatus(t.http('PUT', art(`${dir}/clash/file.txt`), { body: 'x' }), 201);
      const before = await snapshot(t);
      // On a target that shows its disk, the snapshot also holds every blob: no orphan is left.
      for (const [what, path, body] of [
        ['a file where a folder is', `${dir}/clash`, 'y'],
        ['a file below a file', `${dir}/clash/file.txt/child.txt`, `z for ${dir}`],
      ] as const) {
        await combination(t, what, async () => {
          await expectRefusedAsBefore(t, before, await t.http('PUT', art(path), { body }), 409);
        });
      }
    },
  }),
  scenario({
    id: 'artifacts/deploy-overwrites',
    title: 'a deploy to an existing file replaces its content',
    requirements: ['EDGE-ART-6'],
    async run(t) {
      const path = `${scratch(t, 'overwrite')}/file.txt`;
      await expectStatus(t.http('PUT', art(path), { body: 'first' }), 201);
      const second = await expectStatus(t.http('PUT', art(path), { body: 'second' }), 201);
      expect(second.json()).toMatchObject({ size: '6', checksums: checksumsOf('second') });
      expect((await expectStatus(t.http('GET', art(path)), 200)).text).toBe('second');
    },
  }),
];
