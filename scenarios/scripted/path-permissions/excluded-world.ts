import { createHash } from 'node:crypto';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { permission, UPLOADS_REPO, uploadsFolder, user, type TestUser } from '../../kit/world.ts';

/**
 * The world of the path-permission scenarios (issue #8, holes 1–3): in a folder of the uploads
 * repository an admin deployed `secret/s.txt`, `pub/p.txt` and `pub/id.key` (with a property on
 * everything under `pub`); a user may read, write, delete and annotate everything in the folder
 * except `secret/**` and `**∕*.key`. Nothing the user is given may name the excluded files.
 */

export const SECRET = 'the excluded bytes of secret/s.txt\n';
export const KEY = 'the excluded bytes of pub/id.key\n';
export const PUBLIC = 'readable bytes of pub/p.txt\n';

const hashes = (text: string) => ({
  sha256: createHash('sha256').update(text).digest('hex'),
  sha1: createHash('sha1').update(text).digest('hex'),
  md5: createHash('md5').update(text).digest('hex'),
});

export const HIDDEN = [
  { name: 's.txt', bytes: SECRET, ...hashes(SECRET) },
  { name: 'id.key', bytes: KEY, ...hashes(KEY) },
];

export interface ExcludedWorld {
  /** The scenario's folder in the uploads repository (no repository key). */
  folder: string;
  /** `artifactory-edge-uploads/<folder>`. */
  base: string;
  /** The user with everything but the excluded files. */
  dana: TestUser;
}

export async function excludedWorld(t: ScenarioContext): Promise<ExcludedWorld> {
  const folder = uploadsFolder(t, 'paths');
  const base = `${UPLOADS_REPO}/${folder}`;
  const dana = await user(t, 'dana');
  await permission(t, 'dana-uploads', {
    repositories: [UPLOADS_REPO],
    include: [`${folder}/**`],
    exclude: [`${folder}/secret/**`, '**/*.key'],
    users: { [dana.name]: ['read', 'write', 'delete', 'annotate'] },
  });
  const { artifactory } = t.clients();
  await artifactory.deploy(`${base}/secret/s.txt`, SECRET);
  await artifactory.deploy(`${base}/pub/p.txt`, PUBLIC);
  await artifactory.deploy(`${base}/pub/id.key`, KEY);
  await artifactory.setProperties(`${base}/pub`, { owner: ['admin'] }, { recursive: true });
  return { folder, base, dana };
}

/** The answer names nothing of the excluded files: not their names, checksums or bytes. */
export function expectNothingHidden(res: RawResponse): void {
  const seen = `${JSON.stringify(res.headers)}\n${res.text}`;
  for (const hidden of HIDDEN) {
    for (const value of [hidden.name, hidden.sha256, hidden.sha1, hidden.md5, hidden.bytes])
      expect(seen, `the answer names ${value.trim()}`).not.toContain(value);
  }
}
