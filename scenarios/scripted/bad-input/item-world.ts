import type { ScenarioContext } from '../../kit/context.ts';
import type { RawResponse } from '../../kit/http.ts';
import { UPLOADS_REPO, uploadsFolder } from '../../kit/world.ts';

/**
 * What the bad-input scenarios aim at: a folder of the uploads repository holding two files and
 * a property (every refusal must leave them exactly as they are), and every route that takes an
 * item path, so each hostile path is tried where it could do harm.
 */

/** Deploys `<folder>/dir/a.txt` (property a=1) and `<folder>/dir/sub/b.txt`; returns the folder. */
export async function itemWorld(t: ScenarioContext): Promise<string> {
  const folder = uploadsFolder(t, 'bad-input');
  const { artifactory } = t.clients();
  await artifactory.deploy(`${UPLOADS_REPO}/${folder}/dir/a.txt`, 'a text');
  await artifactory.deploy(`${UPLOADS_REPO}/${folder}/dir/sub/b.txt`, 'b text');
  await artifactory.setProperties(`${UPLOADS_REPO}/${folder}/dir/a.txt`, { a: ['1'] });
  return folder;
}

export interface ItemRoute {
  name: string;
  /** The route is addressed as `/artifactory/<repo>/...`, where `api` is Artifactory's REST space, not a repository. */
  underArtifactory?: true;
  /** Sends `target` (`<repo>/<path>`, exactly as it goes on the wire); copies and moves go to `folder`. */
  send(t: ScenarioContext, target: string, folder: string): Promise<RawResponse>;
}

/** Every route that takes an item path; the writes would change something if they got through. */
export const ITEM_ROUTES: readonly ItemRoute[] = [
  { name: 'GET artifact', underArtifactory: true, send: (t, target) => t.http('GET', `/artifactory/${target}`) },
  { name: 'PUT artifact', underArtifactory: true, send: (t, target) => t.http('PUT', `/artifactory/${target}`, { body: 'payload' }) },
  { name: 'PUT folder', underArtifactory: true, send: (t, target) => t.http('PUT', `/artifactory/${target}/`) },
  { name: 'DELETE artifact', underArtifactory: true, send: (t, target) => t.http('DELETE', `/artifactory/${target}`) },
  { name: 'GET storage info', send: (t, target) => t.http('GET', `/artifactory/api/storage/${target}`) },
  { name: 'GET storage ?list', send: (t, target) => t.http('GET', `/artifactory/api/storage/${target}?list&deep=1`) },
  { name: 'GET storage ?properties', send: (t, target) => t.http('GET', `/artifactory/api/storage/${target}?properties`) },
  { name: 'PUT storage ?properties', send: (t, target) => t.http('PUT', `/artifactory/api/storage/${target}?properties=a=2`) },
  { name: 'DELETE storage ?properties', send: (t, target) => t.http('DELETE', `/artifactory/api/storage/${target}?properties=a`) },
  { name: 'PATCH metadata', send: (t, target) => t.http('PATCH', `/artifactory/api/metadata/${target}`, { json: { props: { a: '3' } } }) },
  {
    name: 'POST copy (source)',
    send: (t, target, folder) => t.http('POST', `/artifactory/api/copy/${target}?to=/${UPLOADS_REPO}/${folder}/copied`),
  },
  {
    name: 'POST move (source)',
    send: (t, target, folder) => t.http('POST', `/artifactory/api/move/${target}?to=/${UPLOADS_REPO}/${folder}/moved`),
  },
];
