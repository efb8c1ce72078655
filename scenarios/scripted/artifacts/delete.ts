import { expectStatus } from '../../kit/assertions.ts';
import { scenario } from '../../kit/scenario.ts';
import { inUploads as art, scratch } from '../../kit/uploads.ts';

/** EDGE-ART-11: deleting files and folders. */

export const deleteScenarios = [
  scenario({
    id: 'artifacts/delete-files-and-folders',
    title: 'DELETE removes a file, or a folder with everything below it (204); an absent item is 404',
    requirements: ['EDGE-ART-11'],
    async run(t) {
      const dir = scratch(t, 'del');
      await expectStatus(t.http('PUT', art(`${dir}/a/1.txt`), { body: '1' }), 201);
      await expectStatus(t.http('PUT', art(`${dir}/a/2.txt`), { body: '2' }), 201);
      await expectStatus(t.http('DELETE', art(`${dir}/a/1.txt`)), 204);
      await expectStatus(t.http('GET', art(`${dir}/a/1.txt`)), 404);
      await expectStatus(t.http('DELETE', art(dir)), 204);
      await expectStatus(t.http('GET', art(`${dir}/a/2.txt`)), 404);
      await expectStatus(t.http('DELETE', art(dir)), 404);
    },
  }),
  scenario({
    id: 'artifacts/delete-with-json-content-type',
    title: 'a JSON Content-Type on a DELETE without a body is no body',
    requirements: ['EDGE-ART-11'],
    async run(t) {
      const path = `${scratch(t, 'del-json')}/json-labelled.txt`;
      await expectStatus(t.http('PUT', art(path), { body: 'x' }), 201);
      await expectStatus(t.http('DELETE', art(path), { headers: { 'content-type': 'application/json' } }), 204);
    },
  }),
];
