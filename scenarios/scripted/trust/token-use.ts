import { expectError, valueOrStatus } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bearer, issueToken } from '../../kit/tokens.ts';
import { basic } from '../../kit/world.ts';
import { as, callers } from './callers.ts';

/** Using this Edge's own tokens: how they are sent, and what each scope grants. */

export const tokenUseScenarios = [
  scenario({
    id: 'trust/token-as-bearer-and-password',
    title: "a token works as a bearer token and as the password of basic auth, where the user name must be the token's user",
    requirements: ['EDGE-TRUST-8', 'EDGE-AUTH-1'],
    async run(t) {
      const world = await callers(t);
      const { access_token } = await issueToken(t, world.alice.auth);
      expect((await as(t, world, bearer(access_token)).read()).status).toBe(200);
      expect((await as(t, world, basic(world.alice.name, access_token)).read()).status).toBe(200);
      expectError(await as(t, world, basic(world.bob.name, access_token)).read(), 401, 'BAD_CREDENTIALS', 'Bad credentials');
    },
  }),
  scenario({
    id: 'trust/credentials-neither-password-nor-token',
    title: 'an empty bearer token or an unknown scheme is refused as bad credentials',
    requirements: ['EDGE-TRUST-8', 'EDGE-AUTH-1'],
    async run(t) {
      for (const authorization of ['Bearer', 'Bearer   ', 'Token abc', 'Negotiate xyz']) {
        await t.step(authorization, async () => {
          const res = await t.http('GET', '/artifactory/api/repositories', { auth: authorization });
          expectError(res, 401, 'BAD_CREDENTIALS', 'Bad credentials');
          expect(res.headers['www-authenticate']).toBe('Basic realm="Artifactory Realm"');
        });
      }
    },
  }),
  scenario({
    id: 'trust/scope-user',
    title: 'applied-permissions/user grants what the user may do, no more',
    requirements: ['EDGE-TRUST-15'],
    async run(t) {
      const world = await callers(t);
      const caller = as(t, world, bearer((await issueToken(t, world.alice.auth)).access_token));
      expect((await caller.read()).status).toBe(200);
      expect((await caller.write('by-user-token')).status).toBe(201);
      expectError(await caller.listUsers(), 403, 'FORBIDDEN', 'This operation requires an admin user.');
    },
  }),
  scenario({
    id: 'trust/scope-admin',
    title: 'applied-permissions/admin grants what an admin may do, for a subject this Edge has no user for',
    requirements: ['EDGE-TRUST-15'],
    async run(t) {
      const world = await callers(t);
      const token = await issueToken(t, t.edge.admin, { username: t.name('deployer-bot'), scope: 'applied-permissions/admin' });
      const caller = as(t, world, bearer(token.access_token));
      expect((await caller.listUsers()).status).toBe(200);
      expect((await caller.write('by-admin-token')).status).toBe(201);
    },
  }),
  scenario({
    id: 'trust/scope-groups',
    title: "applied-permissions/groups grants what the groups may do — not what the subject's user may",
    requirements: ['EDGE-TRUST-15'],
    async run(t) {
      const world = await callers(t);
      // The subject is alice, who may write; her group readers may only read.
      const token = await issueToken(t, world.alice.auth, { scope: `applied-permissions/groups:${world.readers}` });
      const caller = as(t, world, bearer(token.access_token));
      expect((await caller.read()).status).toBe(200);
      const refused = await caller.write('by-groups-token');
      expect(refused.status).toBe(403);
      expect(refused.json()).toMatchObject({ errors: [{ code: 'FORBIDDEN' }] });
    },
  }),
  scenario({
    id: 'trust/scope-user-deleted',
    title: 'a user-scoped token stops working when its user is deleted (TOKEN_UNKNOWN_USER)',
    requirements: ['EDGE-TRUST-15'],
    async run(t) {
      const { artifactory } = t.clients();
      const carol = t.name('carol');
      await artifactory.putUser(carol, { email: `${carol}@edgeproof.test`, password: `${carol}-Password-1` });
      // Deleted by the scenario itself; the clean-up is for when it stops before.
      t.defer(() => valueOrStatus(() => artifactory.deleteUser(carol)));
      const { access_token } = await issueToken(t, t.edge.admin, { username: carol });
      const listUsers = () => t.http('GET', '/artifactory/api/security/users', { auth: bearer(access_token) });
      expect((await listUsers()).status).toBe(403);
      await artifactory.deleteUser(carol);
      expectError(await listUsers(), 401, 'TOKEN_UNKNOWN_USER', /^Invalid token: .+\.$/);
    },
  }),
];
