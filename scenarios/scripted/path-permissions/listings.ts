import { expectError, expectStatus, withoutRequestId } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { excludedWorld, expectNothingHidden, HIDDEN } from './excluded-world.ts';

/** EDGE-AUTH-5 (hole 1): listings and item reports show only what the caller may read. */

const uris = (res: { json(): unknown }, member: 'files' | 'children') => (res.json() as Record<string, { uri: string }[]>)[member]?.map((f) => f.uri);

export const listingScenarios = [
  scenario({
    id: 'path-permissions/storage-lists-name-no-excluded-file',
    title: '?list, deep or not, with or without folders, of the repository and of the folder names no excluded file (the admin sees them)',
    requirements: ['EDGE-AUTH-5'],
    async run(t) {
      const { folder, base, dana } = await excludedWorld(t);
      for (const where of [UPLOADS, base]) {
        for (const query of ['list&deep=1', 'list&deep=1&listFolders=1', 'list', 'list&listFolders=1']) {
          await t.step(`${where}?${query}`, async () => {
            const res = await expectStatus(t.http('GET', `/artifactory/api/storage/${where}?${query}`, { auth: dana.auth }), 200);
            expectNothingHidden(res);
            const prefix = where === UPLOADS ? `/${folder}` : '';
            if (query.includes('deep')) expect(uris(res, 'files')).toContain(`${prefix}/pub/p.txt`);
            // Control: the admin sees both excluded files.
            const admin = await t.http('GET', `/artifactory/api/storage/${where}?${query}`);
            if (query.includes('deep')) for (const hidden of HIDDEN) expect(admin.text).toContain(hidden.sha256);
          });
        }
      }
    },
  }),
  scenario({
    id: 'path-permissions/list-of-a-readable-folder',
    title: '?list of a readable folder leaves out the excluded file in it',
    requirements: ['EDGE-AUTH-5'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      const res = await expectStatus(t.http('GET', `/artifactory/api/storage/${base}/pub?list&deep=1`, { auth: dana.auth }), 200);
      expect(uris(res, 'files')).toEqual(['/p.txt']);
      expectNothingHidden(res);
    },
  }),
  scenario({
    id: 'path-permissions/excluded-folder-info-as-absent',
    title: 'the storage info of an excluded folder answers exactly as for an absent folder',
    requirements: ['EDGE-AUTH-5', 'EDGE-AUTH-8'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      const secret = await t.http('GET', `/artifactory/api/storage/${base}/secret`, { auth: dana.auth });
      const absent = await t.http('GET', `/artifactory/api/storage/${base}/absent`, { auth: dana.auth });
      expectError(secret, 404, 'NOT_FOUND', /secret/);
      expect(withoutRequestId(secret).replace('secret', 'absent')).toBe(withoutRequestId(absent));
      expectNothingHidden(secret);
    },
  }),
  scenario({
    id: 'path-permissions/folder-info-children',
    title: "folder info children, of a folder, of the caller's folder and of the repository root, leave out what the caller cannot read",
    requirements: ['EDGE-AUTH-5', 'EDGE-AUTH-8'],
    async run(t) {
      const { folder, base, dana } = await excludedWorld(t);
      const pub = await expectStatus(t.http('GET', `/artifactory/api/storage/${base}/pub`, { auth: dana.auth }), 200);
      expect((pub.json() as { children: unknown[] }).children).toEqual([{ uri: '/p.txt', folder: false }]);
      expectNothingHidden(pub);
      const top = await expectStatus(t.http('GET', `/artifactory/api/storage/${base}`, { auth: dana.auth }), 200);
      expect((top.json() as { children: unknown[] }).children).toEqual([{ uri: '/pub', folder: true }]);
      const root = await expectStatus(t.http('GET', `/artifactory/api/storage/${UPLOADS}`, { auth: dana.auth }), 200);
      expect((root.json() as { children: unknown[] }).children).toEqual([{ uri: `/${folder}`, folder: true }]);
    },
  }),
  scenario({
    id: 'path-permissions/html-listings',
    title: 'HTML listings name no excluded file, an excluded folder answers 404, and HEAD agrees with GET',
    requirements: ['EDGE-AUTH-5'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      expectError(await t.http('GET', `/artifactory/${base}/secret/`, { auth: dana.auth }), 404, 'NOT_FOUND', /secret/);
      const pub = await expectStatus(t.http('GET', `/artifactory/${base}/pub/`, { auth: dana.auth }), 200);
      expect(pub.text).toContain('p.txt');
      expectNothingHidden(pub);
      const head = await expectStatus(t.http('HEAD', `/artifactory/${base}/pub/`, { auth: dana.auth }), 200);
      expect(Number(head.headers['content-length'])).toBe(pub.body.length);
      for (const listing of [`/artifactory/${base}/`, `/artifactory/${UPLOADS}/`]) {
        expect((await expectStatus(t.http('GET', listing, { auth: dana.auth }), 200)).text, listing).not.toContain('secret');
      }
    },
  }),
  scenario({
    id: 'path-permissions/excluded-file-reports-as-absent',
    title: 'properties, file info and checksum files of an excluded file or folder answer exactly as for an absent one; HEAD shows no checksum',
    requirements: ['EDGE-AUTH-5'],
    async run(t) {
      const { base, dana } = await excludedWorld(t);
      for (const path of [
        `/artifactory/api/storage/${base}/pub/id.key`,
        `/artifactory/api/storage/${base}/pub/id.key?properties`,
        `/artifactory/api/storage/${base}/secret?properties`,
        `/artifactory/api/storage/${base}/secret/s.txt?properties`,
        `/artifactory/${base}/pub/id.key.sha256`,
        `/artifactory/${base}/pub/id.key.md5`,
      ]) {
        await t.step(path, async () => {
          const hide = (text: string) => text.replace('id.key', 'no.key').replace('secret', 'absent');
          const res = await t.http('GET', path, { auth: dana.auth });
          const absent = await t.http('GET', hide(path), { auth: dana.auth });
          expectError(res, 404, 'NOT_FOUND', /.+/);
          expect(hide(withoutRequestId(res))).toBe(withoutRequestId(absent));
        });
      }
      const head = await t.http('HEAD', `/artifactory/${base}/pub/id.key`, { auth: dana.auth });
      expect(head.status).toBe(404);
      expect(head.headers['x-checksum-sha256']).toBeUndefined();
    },
  }),
];
