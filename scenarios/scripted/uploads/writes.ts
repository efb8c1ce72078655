import { createHash } from 'node:crypto';
import { expectStatus } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { expect } from '../../kit/expect.ts';
import { writers } from '../../kit/identities.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, scratch, UPLOADS, uploadsStorage as storage } from '../../kit/uploads.ts';

/**
 * The other side of EDGE-RO-1 and EDGE-RO-2: in the uploads repository the same writes work for
 * whoever may write there (so the read-only refusals come from the repository, not the caller).
 */

export const uploadsWriteScenarios = [
  scenario({
    id: 'uploads/writes-by-permitted-users',
    title: `deploy, overwrite, deploy by checksum, folders, properties, metadata and delete work in ${UPLOADS} for the admin and a deployer`,
    requirements: ['EDGE-RO-1'],
    async run(t) {
      const root = scratch(t, 'writes');
      for (const identity of await writers(t, [UPLOADS])) {
        const auth = identity.auth;
        const dir = `${root}/${identity.who}`;
        const content = `written by ${identity.who} in ${dir}\n`;
        const sha256 = createHash('sha256').update(content).digest('hex');
        const step = (what: string, check: () => Promise<void>) => combination(t, `${what} in ${UPLOADS} as ${identity.who}`, check);
        await step('artifact PUT', async () => {
          await expectStatus(t.http('PUT', art(`${dir}/file.txt`), { auth, body: 'first' }), 201);
        });
        await step('artifact PUT over an existing file', async () => {
          await expectStatus(t.http('PUT', art(`${dir}/file.txt`), { auth, body: content }), 201);
          expect((await expectStatus(t.http('GET', art(`${dir}/file.txt`), { auth }), 200)).text).toBe(content);
        });
        await step('deploy by checksum', async () => {
          await expectStatus(
            t.http('PUT', art(`${dir}/by-checksum.txt`), { auth, headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': sha256 } }),
            201,
          );
          expect((await t.http('GET', art(`${dir}/by-checksum.txt`), { auth })).text).toBe(content);
        });
        await step('folder PUT', async () => {
          await expectStatus(t.http('PUT', art(`${dir}/folder/`), { auth }), 201);
        });
        await step('property PUT, PATCH /api/metadata and property DELETE', async () => {
          await expectStatus(t.http('PUT', `${storage(`${dir}/file.txt`)}?properties=a=1`, { auth }), 204);
          await expectStatus(t.http('PATCH', `/artifactory/api/metadata/${UPLOADS}/${dir}/file.txt`, { auth, json: { props: { b: '2' } } }), 204);
          await expectStatus(t.http('DELETE', `${storage(`${dir}/file.txt`)}?properties=a`, { auth }), 204);
          expect((await expectStatus(t.http('GET', `${storage(`${dir}/file.txt`)}?properties`, { auth }), 200)).json()).toMatchObject({
            properties: { b: ['2'] },
          });
        });
        await step('copy and move', async () => {
          await expectStatus(t.http('POST', `/artifactory/api/copy/${UPLOADS}/${dir}/file.txt?to=/${UPLOADS}/${dir}/copied/file.txt`, { auth }), 200);
          await expectStatus(t.http('POST', `/artifactory/api/move/${UPLOADS}/${dir}/copied/file.txt?to=/${UPLOADS}/${dir}/moved/file.txt`, { auth }), 200);
          expect((await expectStatus(t.http('GET', art(`${dir}/moved/file.txt`), { auth }), 200)).text).toBe(content);
          await expectStatus(t.http('GET', art(`${dir}/copied/file.txt`), { auth }), 404);
        });
        await step('DELETE of a folder', async () => {
          await expectStatus(t.http('DELETE', art(dir), { auth }), 204);
          await expectStatus(t.http('GET', art(`${dir}/file.txt`), { auth }), 404);
        });
      }
    },
  }),
];
