import { expectStatus, expectUnchanged } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expectBadCredentials, expectTokenRefused, requireAnonymousAccess, wrongLogin } from '../../kit/credentials.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { basic, UPLOADS_REPO as UPLOADS, user } from '../../kit/world.ts';
import { accessWorld, SECRET } from './access-world.ts';

/**
 * EDGE-AUTH-1: wrong credentials get 401 with WWW-Authenticate before anything else is judged,
 * and never fall back to anonymous. Wrong passwords of real names go through `wrongLogin`,
 * which logs the name in again at once, so no scenario suspends it (EDGE-AUTH-9).
 */

const b64 = (text: string) => Buffer.from(text).toString('base64');

interface Wrong {
  name: string;
  /** The header, and (for a name that exists) that name's right credentials, to undo the failure's count. */
  header(t: ScenarioContext, casey: { name: string; password: string; auth: string }): { header: string; right?: string };
  check?: (res: RawResponse) => void;
}

const WRONG: readonly Wrong[] = [
  { name: 'a wrong admin password', header: (t) => ({ header: basic('admin', 'not-the-admin-password'), right: t.edge.admin }) },
  // User names are case-sensitive: the right password under the name in capitals is no login.
  { name: "a user's password under their name in capitals", header: (_, casey) => ({ header: basic(casey.name.toUpperCase(), casey.password) }) },
  { name: 'an unknown user', header: (t) => ({ header: basic(t.name('mallory'), 'mallory-password') }) },
  { name: 'an empty password', header: (t) => ({ header: basic('admin', ''), right: t.edge.admin }) },
  { name: 'an empty user name', header: (_, casey) => ({ header: basic('', casey.password) }) },
  { name: 'Basic !!!', header: () => ({ header: 'Basic !!!' }) },
  { name: 'Basic without a colon', header: () => ({ header: `Basic ${b64('admin')}` }) },
  { name: 'Basic with no value', header: () => ({ header: 'Basic' }) },
  { name: 'Bearer x', header: () => ({ header: 'Bearer x' }), check: expectTokenRefused },
  { name: 'Bearer with an unsigned JWT', header: () => ({ header: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.' }), check: expectTokenRefused },
  { name: 'Bearer with no token', header: () => ({ header: 'Bearer' }), check: expectTokenRefused },
  { name: 'Digest y', header: () => ({ header: 'Digest y' }) },
  { name: 'an unknown scheme', header: () => ({ header: 'Negotiate YIIB' }) },
];

/** Sends with `header`, undoing the failure's count when it was a wrong password of a real name. */
function sendWrong(t: ScenarioContext, wrong: { header: string; right?: string }, send: (auth: string) => Promise<RawResponse>): Promise<RawResponse> {
  return wrong.right ? wrongLogin(t, wrong.right, () => send(wrong.header)) : send(wrong.header);
}

const adminWrong = (t: ScenarioContext) => ({ header: basic('admin', 'wrong'), right: t.edge.admin });

export const badCredentialScenarios = [
  scenario({
    id: 'access/bad-credentials-on-a-read',
    title:
      'wrong passwords, unknown users, malformed Basic, bad bearer tokens and unknown schemes get 401 with WWW-Authenticate on a read; the right password reads',
    requirements: ['EDGE-AUTH-1'],
    async run(t) {
      const world = await accessWorld(t);
      const casey = await user(t, 'casey');
      const read = (auth: string) => t.http('GET', `/artifactory/${UPLOADS}/${world.file}`, { auth });
      for (const w of WRONG) {
        await t.step(w.name, async () => (w.check ?? expectBadCredentials)(await sendWrong(t, w.header(t, casey), read)));
      }
      await t.step('the right password (control)', async () => expect((await expectStatus(read(t.edge.admin), 200)).text).toBe(SECRET));
    },
  }),
  scenario({
    id: 'access/bad-credentials-on-writes',
    title: 'a wrong password is refused with 401 on a deploy, a delete and a repository create, and nothing changes',
    requirements: ['EDGE-AUTH-1'],
    async run(t) {
      const world = await accessWorld(t);
      const writes: [string, (auth: string) => Promise<RawResponse>][] = [
        ['deploy', (auth) => t.http('PUT', `/artifactory/${UPLOADS}/${world.folder}/wrong-pw.txt`, { auth, body: 'x' })],
        ['delete', (auth) => t.http('DELETE', `/artifactory/${UPLOADS}/${world.file}`, { auth })],
        ['repository create', (auth) => t.http('PUT', `/artifactory/api/repositories/${t.name('wrong-pw')}`, { auth, json: { rclass: 'local' } })],
      ];
      for (const [what, send] of writes) {
        await t.step(what, () => expectUnchanged(t, () => sendWrong(t, adminWrong(t), send), expectBadCredentials));
      }
    },
  }),
  scenario({
    id: 'access/credentials-checked-first',
    title: 'credentials are checked before the path, the route and the resource: a wrong password gets 401 where the answer would be 400, 404, 403 or 200',
    requirements: ['EDGE-AUTH-1'],
    async run(t) {
      const world = await accessWorld(t);
      const cases: [string, (auth: string) => Promise<RawResponse>][] = [
        ['a bad path (would be 400)', (auth) => t.http('GET', `/artifactory/${UPLOADS}/../etc/passwd`, { auth })],
        ['an absent file (would be 404)', (auth) => t.http('GET', `/artifactory/${UPLOADS}/${world.folder}/absent.txt`, { auth })],
        ['an unknown endpoint (would be 404)', (auth) => t.http('GET', '/artifactory/api/no-such-endpoint', { auth })],
        ['a write to a read-only repository (would be 403)', (auth) => t.http('PUT', `/artifactory/${world.local}/x.txt`, { auth, body: 'x' })],
        ['a system probe (would be 200)', (auth) => t.http('GET', '/artifactory/api/system/ping', { auth })],
      ];
      for (const [what, send] of cases) {
        await t.step(what, async () => expectBadCredentials(await sendWrong(t, adminWrong(t), send)));
      }
    },
  }),
  scenario({
    id: 'access/bad-credentials-with-anonymous-access',
    title: 'with anonymous access on, bad credentials still get 401, never an anonymous read',
    requirements: ['EDGE-AUTH-1'],
    async run(t) {
      await requireAnonymousAccess(t, true);
      const world = await accessWorld(t);
      const paths = [`/artifactory/${UPLOADS}/${world.file}`, '/artifactory/api/repositories'];
      await expectStatus(t.http('GET', paths[0] as string, { auth: null }), 200);
      const wrongs = [adminWrong(t), { header: basic(t.name('mallory'), 'mallory-password') }, { header: 'Basic !!!' }, { header: 'Digest y' }];
      for (const wrong of wrongs) {
        for (const path of paths) {
          await t.step(`${wrong.header.split(' ')[0]} on ${path}`, async () =>
            expectBadCredentials(await sendWrong(t, wrong, (auth) => t.http('GET', path, { auth }))),
          );
        }
      }
      for (const path of paths) expectTokenRefused(await t.http('GET', path, { auth: 'Bearer x' }));
    },
  }),
];
