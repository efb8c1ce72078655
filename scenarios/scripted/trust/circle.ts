import { accessPaths } from '../../../protocol/wire/access.ts';
import { expectError, valueOrStatus } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import type { EdgeUnderTest } from '../../targets/target.ts';
import { bearer, issueToken, serviceIdOf, UNTRUSTED_ISSUER } from '../../kit/tokens.ts';
import { UPLOADS_REPO } from '../../kit/world.ts';

/**
 * Two Edges side by side (jfrog-compat.md §5): each trusts the other only once it holds the
 * other's root certificate, handed over by REST, and stops as soon as it is removed.
 */

type Site = Pick<EdgeUnderTest, 'url' | 'admin'>;

/** An admin-only call, so a 200 shows the token carries admin rights on that Edge. */
const usersOn = (t: ScenarioContext, edge: Site, token: string) => t.http('GET', '/artifactory/api/security/users', { auth: bearer(token) }, edge);

/** Makes `on` trust `peer`'s root certificate under `alias`, by the REST calls an operator makes. */
async function exchange(t: ScenarioContext, peer: Site, on: Site, alias: string) {
  const certificate = await t.clients(peer.admin, peer).access.rootCertificate();
  return t.http('PUT', accessPaths.trustedCertificate(alias), { headers: { 'content-type': 'text/plain' }, body: certificate }, on);
}

export const circleScenarios = [
  scenario({
    id: 'trust/circle-of-two-edges',
    title: "two Edges trust each other's tokens exactly while each holds the other's root certificate, with the rights their scope and audience give",
    requirements: ['EDGE-TRUST-5', 'EDGE-TRUST-11', 'EDGE-TRUST-14', 'EDGE-TRUST-15', 'EDGE-TRUST-16', 'EDGE-TRUST-19'],
    needs: ['more-edges', 'trust-changes'],
    async run(t) {
      const a: Site = t.edge;
      const b = await t.anotherEdge();
      const [idA, idB] = await Promise.all([serviceIdOf(t, a), serviceIdOf(t, b)]);
      const adminToken = async (edge: Site) => (await issueToken(t, edge.admin, { scope: 'applied-permissions/admin' }, edge)).access_token;
      const [fromA, fromB] = await Promise.all([adminToken(a), adminToken(b)]);
      const aliasOfB = t.name('edge-b');
      t.defer(() => valueOrStatus(() => t.clients().access.removeTrustedCertificate(aliasOfB)));

      await t.step('before the exchange neither trusts the other', async () => {
        expectError(await usersOn(t, b, fromA), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
        expectError(await usersOn(t, a, fromB), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
        expect((await usersOn(t, a, fromA)).status).toBe(200);
      });

      await t.step("B trusts A once A's certificate is added — one way only", async () => {
        const res = await exchange(t, a, b, 'edge-a');
        expect(res.status, res.text).toBe(201);
        expect(res.json()).toMatchObject({ subject: `CN=${idA}` });
        expect((await usersOn(t, b, fromA)).status).toBe(200);
        expectError(await usersOn(t, a, fromB), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
      });

      await t.step("A trusts B once B's certificate is added", async () => {
        expect((await exchange(t, b, a, aliasOfB)).status).toBe(201);
        expect((await usersOn(t, a, fromB)).status).toBe(200);
      });

      const fromAFile = `${UPLOADS_REPO}/${t.name('from-a')}.txt`;
      await t.step("a service in the circle has admin rights: A's admin token writes on B", async () => {
        const res = await t.http('PUT', `/artifactory/${fromAFile}`, { auth: bearer(fromA), body: 'hello from A' }, b);
        expect(res.status, res.text).toBe(201);
        expect(await t.clients(b.admin, b).artifactory.fileInfo(fromAFile)).toMatchObject({ createdBy: 'admin' });
      });

      await t.step("a user-scoped token works only where its user exists, with that user's rights there", async () => {
        const dana = t.name('dana');
        const danaUser = { email: `${dana}@edgeproof.test`, password: `${dana}-Password-1` };
        const onA = t.clients(a.admin, a).artifactory;
        await onA.putUser(dana, danaUser);
        t.defer(() => onA.deleteUser(dana));
        const token = (await issueToken(t, a.admin, { username: dana }, a)).access_token;
        const read = () => t.http('GET', `/artifactory/${fromAFile}`, { auth: bearer(token) }, b);
        expectError(await read(), 401, 'TOKEN_UNKNOWN_USER', /^Invalid token: .+\.$/);
        const onB = t.clients(b.admin, b).artifactory;
        await onB.putUser(dana, danaUser);
        expect((await read()).status).toBe(404);
        await onB.putPermission(t.name('dana-reads'), { repo: { repositories: [UPLOADS_REPO], actions: { users: { [dana]: ['read'] } } } });
        expect((await read()).text).toBe('hello from A');
      });

      await t.step('a token meant only for A is refused by B; one naming B is accepted', async () => {
        const onlyA = (await issueToken(t, a.admin, { scope: 'applied-permissions/admin', audience: idA }, a)).access_token;
        expect((await usersOn(t, a, onlyA)).status).toBe(200);
        expectError(await usersOn(t, b, onlyA), 401, 'TOKEN_WRONG_AUDIENCE', `Invalid token: its audience does not include ${idB}, jfrt@* or *@*.`);
        const forB = (await issueToken(t, a.admin, { scope: 'applied-permissions/admin', audience: idB }, a)).access_token;
        expect((await usersOn(t, b, forB)).status).toBe(200);
      });

      await t.step('revoking on A ends a token on A at once; B cannot know (circle-of-trust tokens are non-revocable)', async () => {
        const token = await issueToken(t, a.admin, { scope: 'applied-permissions/admin', expires_in: 60 }, a);
        expect((await t.http('DELETE', accessPaths.token(token.token_id), {}, a)).status).toBe(200);
        expectError(await usersOn(t, a, token.access_token), 401, 'TOKEN_REVOKED', 'Invalid token: it has been revoked.');
        expect((await usersOn(t, b, token.access_token)).status).toBe(200);
      });

      await t.step("B stops trusting A as soon as A's certificate is removed", async () => {
        expect((await t.http('DELETE', accessPaths.trustedCertificate('edge-a'), {}, b)).status).toBe(204);
        expectError(await usersOn(t, b, fromA), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
        expect((await usersOn(t, a, fromB)).status).toBe(200);
      });

      await t.step("A stops trusting B as soon as B's certificate is removed", async () => {
        expect((await t.http('DELETE', accessPaths.trustedCertificate(aliasOfB), {}, a)).status).toBe(204);
        expectError(await usersOn(t, a, fromB), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
        expect((await usersOn(t, a, fromA)).status).toBe(200);
        expect((await usersOn(t, b, fromB)).status).toBe(200);
      });
    },
  }),
];
