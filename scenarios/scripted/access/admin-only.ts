import { accessPaths } from '../../../protocol/wire/access.ts';
import { edpPaths, TRUSTED_KEYS } from '../../../protocol/wire/edp.ts';
import { PERMISSIONS, SECURITY_USERS as USERS } from '../../../protocol/wire/security.ts';
import { expectError, expectStatus, expectUnchanged } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expectBadCredentials, expectUnauthenticated, wrongLogin } from '../../kit/credentials.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { basic, permission, unlessGone, UPLOADS_REPO as UPLOADS, user, type TestUser } from '../../kit/world.ts';
import { accessWorld, grantedUser, type AccessWorld } from './access-world.ts';

/**
 * EDGE-AUTH-4: repository and security configuration are admin-only, even for a user with
 * "manage" on every repository; changes to users take effect at once. EDGE-AUTH-7, as a client
 * can see it: nothing admin-only is shown to anyone but an admin.
 */

/** A user with every action on every repository: still no admin. */
async function manager(t: ScenarioContext): Promise<{ who: TestUser; grant: string }> {
  const who = await user(t, 'manager');
  const grant = await permission(t, 'manager-everything', { repositories: ['ANY'], users: { [who.name]: ['read', 'write', 'annotate', 'delete', 'manage'] } });
  return { who, grant };
}

interface AdminOnly {
  name: string;
  send(t: ScenarioContext, auth: string | null): Promise<RawResponse>;
}

/** What the refused configuration requests could change besides repositories and items. */
const security = (t: ScenarioContext) => async () => {
  const { artifactory } = t.clients();
  return { users: await artifactory.users(), permissions: await artifactory.permissions() };
};

function adminOnly(w: AccessWorld, names: { sneaky: string; selfGrant: string; grant: string; newRepo: string }): AdminOnly[] {
  return [
    {
      name: 'PUT /api/repositories/{key} (create)',
      send: (t, auth) => t.http('PUT', `/artifactory/api/repositories/${names.newRepo}`, { auth, json: { rclass: 'local' } }),
    },
    { name: 'GET /api/repositories/{key} (config)', send: (t, auth) => t.http('GET', `/artifactory/api/repositories/${UPLOADS}`, { auth }) },
    {
      name: 'POST /api/repositories/{key} (update)',
      send: (t, auth) => t.http('POST', `/artifactory/api/repositories/${UPLOADS}`, { auth, json: { description: 'hijacked' } }),
    },
    { name: 'DELETE /api/repositories/{key}', send: (t, auth) => t.http('DELETE', `/artifactory/api/repositories/${w.local}`, { auth }) },
    { name: 'GET /api/security/users', send: (t, auth) => t.http('GET', USERS, { auth }) },
    { name: 'GET /api/security/users/admin', send: (t, auth) => t.http('GET', `${USERS}/admin`, { auth }) },
    {
      name: 'PUT /api/security/users/{name} (create)',
      send: (t, auth) => t.http('PUT', `${USERS}/${names.sneaky}`, { auth, json: { password: 'sneaky-password', admin: true } }),
    },
    {
      name: 'POST /api/security/users/admin (password change)',
      send: (t, auth) => t.http('POST', `${USERS}/admin`, { auth, json: { password: 'taken-over-admin' } }),
    },
    { name: 'DELETE /api/security/users/{name}', send: (t, auth) => t.http('DELETE', `${USERS}/admin`, { auth }) },
    { name: 'GET /api/v2/security/permissions', send: (t, auth) => t.http('GET', PERMISSIONS, { auth }) },
    {
      name: 'PUT /api/v2/security/permissions/{name}',
      send: (t, auth) =>
        t.http('PUT', `${PERMISSIONS}/${names.selfGrant}`, {
          auth,
          json: { repo: { repositories: ['ANY'], actions: { users: { [names.sneaky]: ['manage'] } } } },
        }),
    },
    { name: 'DELETE /api/v2/security/permissions/{name}', send: (t, auth) => t.http('DELETE', `${PERMISSIONS}/${names.grant}`, { auth }) },
  ];
}

export const adminOnlyScenarios = [
  scenario({
    id: 'access/configuration-refused-to-non-admins',
    title: 'repository and security configuration by a non-admin with "manage" everywhere is refused with 403 FORBIDDEN, and nothing changes',
    requirements: ['EDGE-AUTH-4'],
    async run(t) {
      const world = await accessWorld(t);
      const { who, grant } = await manager(t);
      const names = { sneaky: t.name('sneaky'), selfGrant: t.name('self-grant'), grant, newRepo: t.name('by-non-admin') };
      for (const op of adminOnly(world, names)) {
        await t.step(op.name, () =>
          expectUnchanged(
            t,
            () => op.send(t, who.auth),
            (res) => expectError(res, 403, 'FORBIDDEN', /admin/),
            security(t),
          ),
        );
      }
      await t.step('the refused security writes really did nothing', async () => {
        expectError(await t.http('GET', `${USERS}/${names.sneaky}`), 404, 'NOT_FOUND', new RegExp(names.sneaky));
        expectError(await t.http('GET', `${PERMISSIONS}/${names.selfGrant}`), 404, 'NOT_FOUND', new RegExp(names.selfGrant));
        await expectStatus(t.http('GET', `${PERMISSIONS}/${grant}`), 200);
        await expectStatus(t.http('GET', '/artifactory/api/system/license'), 200);
        expectBadCredentials(
          await wrongLogin(t, t.edge.admin, () => t.http('GET', '/artifactory/api/system/license', { auth: basic('admin', 'taken-over-admin') })),
        );
      });
    },
  }),
  scenario({
    id: 'access/configuration-refused-without-credentials',
    title: 'repository and security configuration without credentials gets 401, with or without anonymous access, and nothing changes',
    requirements: ['EDGE-AUTH-4', 'EDGE-AUTH-2'],
    async run(t) {
      const world = await accessWorld(t);
      const { grant } = await manager(t);
      const names = { sneaky: t.name('sneaky'), selfGrant: t.name('self-grant'), grant, newRepo: t.name('by-anonymous') };
      for (const op of adminOnly(world, names)) {
        await t.step(op.name, () => expectUnchanged(t, () => op.send(t, null), expectUnauthenticated, security(t)));
      }
    },
  }),
  scenario({
    id: 'access/no-self-promotion',
    title: 'a user cannot make themselves admin',
    requirements: ['EDGE-AUTH-4'],
    async run(t) {
      const { who } = await manager(t);
      await expectUnchanged(
        t,
        () => t.http('POST', `${USERS}/${who.name}`, { auth: who.auth, json: { admin: true } }),
        (res) => expectError(res, 403, 'FORBIDDEN', /admin/),
        security(t),
      );
      expect((await expectStatus(t.http('GET', `${USERS}/${who.name}`), 200)).json()).toMatchObject({ name: who.name, admin: false });
    },
  }),
  scenario({
    id: 'access/password-change-at-once',
    title: 'a password change takes effect at once: the old password gets 401, also after it was used',
    requirements: ['EDGE-AUTH-4', 'EDGE-AUTH-1'],
    async run(t) {
      const world = await accessWorld(t);
      const changer = await grantedUser(t, 'changer', ['read']);
      const readAs = (auth: string) => t.http('GET', `/artifactory/${UPLOADS}/${world.file}`, { auth });
      // Used (and so possibly cached) before the change.
      await expectStatus(readAs(changer.auth), 200);
      await expectStatus(readAs(changer.auth), 200);
      const second = basic(changer.name, 'brand-new-password');
      await expectStatus(t.http('POST', `${USERS}/${changer.name}`, { json: { password: 'brand-new-password' } }), 200);
      expectBadCredentials(await wrongLogin(t, second, () => readAs(changer.auth)));
      await expectStatus(readAs(second), 200);
      // And again with PUT (replace).
      const third = basic(changer.name, 'third-password-ok');
      await expectStatus(t.http('PUT', `${USERS}/${changer.name}`, { json: { password: 'third-password-ok' } }), 200);
      expectBadCredentials(await wrongLogin(t, third, () => readAs(second)));
      await expectStatus(readAs(third), 200);
    },
  }),
  scenario({
    id: 'access/removed-user-at-once',
    title: 'a removed user gets 401 at once',
    requirements: ['EDGE-AUTH-4', 'EDGE-AUTH-1'],
    async run(t) {
      const world = await accessWorld(t);
      const removed = await grantedUser(t, 'removed', ['read']);
      await expectStatus(t.http('GET', `/artifactory/${UPLOADS}/${world.file}`, { auth: removed.auth }), 200);
      await expectStatus(t.http('DELETE', `${USERS}/${removed.name}`), 200);
      expectBadCredentials(await t.http('GET', `/artifactory/${UPLOADS}/${world.file}`, { auth: removed.auth }));
    },
  }),
  scenario({
    id: 'access/admin-granted-and-revoked-at-once',
    title: 'granting and revoking admin takes effect at once',
    requirements: ['EDGE-AUTH-4'],
    async run(t) {
      const promoted = await user(t, 'promoted');
      expectError(await t.http('GET', USERS, { auth: promoted.auth }), 403, 'FORBIDDEN', /admin/);
      await expectStatus(t.http('POST', `${USERS}/${promoted.name}`, { json: { admin: true } }), 200);
      await expectStatus(t.http('GET', USERS, { auth: promoted.auth }), 200);
      await expectStatus(t.http('POST', `${USERS}/${promoted.name}`, { json: { admin: false } }), 200);
      await expectUnchanged(
        t,
        () => t.http('PUT', `/artifactory/api/repositories/${t.name('by-demoted')}`, { auth: promoted.auth, json: { rclass: 'local' } }),
        (res) => expectError(res, 403, 'FORBIDDEN', /admin/),
      );
    },
  }),
  scenario({
    id: 'access/admin-configures',
    title: 'the admin lists users and permission targets, and creates and deletes a repository (control)',
    requirements: ['EDGE-AUTH-4'],
    async run(t) {
      await expectStatus(t.http('GET', USERS), 200);
      await expectStatus(t.http('GET', PERMISSIONS), 200);
      const key = t.name('by-admin');
      t.defer(() => unlessGone(() => t.clients().artifactory.deleteRepository(key)));
      await expectStatus(t.http('PUT', `/artifactory/api/repositories/${key}`, { json: { rclass: 'local' } }), 200);
      await expectStatus(t.http('DELETE', `/artifactory/api/repositories/${key}`), 200);
    },
  }),
  scenario({
    id: 'access/admin-only-answers-hidden',
    title: "users, permission targets, trusted certificates and keys, transactions and other users' tokens are shown to no one but an admin",
    requirements: ['EDGE-AUTH-7', 'EDGE-AUTH-4'],
    async run(t) {
      const { who, grant } = await manager(t);
      const { access } = t.clients();
      const adminToken = await access.createToken({ description: t.name('admin-token') });
      t.defer(() => unlessGone(() => access.revokeToken(adminToken.token_id)));
      const hidden = [grant, adminToken.token_id, adminToken.access_token];
      for (const path of [
        USERS,
        `${USERS}/admin`,
        PERMISSIONS,
        `${PERMISSIONS}/${grant}`,
        accessPaths.trustedCertificates,
        accessPaths.rootCertificate,
        TRUSTED_KEYS,
        edpPaths.transactions,
      ]) {
        await t.step(`GET ${path}`, async () => {
          const res = await t.http('GET', path, { auth: who.auth });
          expectError(res, 403, 'FORBIDDEN', /.+/);
          for (const secret of hidden) expect(res.text).not.toContain(secret);
        });
      }
      await t.step("GET the token list shows only the caller's own", async () => {
        const res = await expectStatus(t.http('GET', accessPaths.tokens, { auth: who.auth }), 200);
        for (const secret of hidden) expect(res.text).not.toContain(secret);
        expect(res.json()).toEqual({ tokens: [] });
      });
    },
  }),
];
