import { accessPaths, type TokenIssued } from '../../../protocol/wire/access.ts';
import { expectError } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { bearer, decodeToken, issueToken, serviceIdOf } from '../../kit/tokens.ts';
import { basic } from '../../kit/world.ts';
import { as, callers } from './callers.ts';

/** After issuing: listing and revoking this Edge's tokens, and refreshing them. */

const TOKENS = accessPaths.tokens;

export const tokenLifecycleScenarios = [
  scenario({
    id: 'trust/token-revoked',
    title: 'a revoked token is refused on the very next request, as bearer and as password',
    requirements: ['EDGE-TRUST-16'],
    async run(t) {
      const world = await callers(t);
      const token = await issueToken(t, t.edge.admin, { username: world.bob.name });
      // bob may not read the uploads repository, which it hides from him.
      expect((await as(t, world, bearer(token.access_token)).read()).status).toBe(404);
      const res = await t.http('DELETE', accessPaths.token(token.token_id));
      expect(res.status).toBe(200);
      expect(res.text).toBe('Token revoked');
      expectError(await as(t, world, bearer(token.access_token)).read(), 401, 'TOKEN_REVOKED', 'Invalid token: it has been revoked.');
      expectError(await as(t, world, basic(world.bob.name, token.access_token)).read(), 401, 'TOKEN_REVOKED', 'Invalid token: it has been revoked.');
    },
  }),
  scenario({
    id: 'trust/token-list-and-revoke-rights',
    title: 'admins list every token, users their own; users revoke only their own',
    requirements: ['EDGE-TRUST-16'],
    async run(t) {
      const { alice, bob } = await callers(t);
      const serviceId = await serviceIdOf(t);
      const mine = await issueToken(t, bob.auth, { description: 'laptop' });
      const theirs = await issueToken(t, alice.auth);
      const all = (await t.http('GET', TOKENS)).json() as { tokens: { token_id: string }[] };
      expect(all.tokens.map((token) => token.token_id)).toEqual(expect.arrayContaining([mine.token_id, theirs.token_id]));
      const own = (await t.http('GET', TOKENS, { auth: bob.auth })).json() as { tokens: Record<string, unknown>[] };
      expect(own.tokens.every((token) => (token.subject as string).endsWith(`/users/${bob.name}`))).toBe(true);
      expect(own.tokens).toContainEqual({
        token_id: mine.token_id,
        subject: `${serviceId}/users/${bob.name}`,
        scope: 'applied-permissions/user',
        audience: '*@*',
        issuer: serviceId,
        issued_at: expect.any(Number),
        expiry: expect.any(Number),
        refreshable: false,
        description: 'laptop',
        revoked: false,
      });
      expectError(await t.http('DELETE', accessPaths.token(theirs.token_id), { auth: bob.auth }), 404, 'NOT_FOUND', 'Token not found.');
      expect((await t.http('DELETE', accessPaths.token(mine.token_id), { auth: bob.auth })).status).toBe(200);
      expectError(await t.http('DELETE', accessPaths.token(t.name('no-such-token'))), 404, 'NOT_FOUND', 'Token not found.');
      expectError(await t.http('GET', TOKENS, { auth: null }), 401, 'UNAUTHENTICATED', 'Authentication is required');
    },
  }),
  scenario({
    id: 'trust/token-refreshed-once',
    title: 'a refreshable token is replaced once: the new one works, the old one and the used refresh token do not',
    requirements: ['EDGE-TRUST-18'],
    async run(t) {
      const world = await callers(t);
      const first = await issueToken(t, world.alice.auth, { refreshable: true, expires_in: 300 });
      expect(first.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const refreshed = await t.http('POST', TOKENS, {
        auth: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token ?? '', access_token: first.access_token }).toString(),
      });
      expect(refreshed.status, refreshed.text).toBe(200);
      const second = refreshed.json() as TokenIssued;
      expect(second).toMatchObject({ expires_in: 300, scope: 'applied-permissions/user', token_type: 'Bearer', refresh_token: expect.any(String) });
      const [was, is] = [decodeToken(first.access_token).claims, decodeToken(second.access_token).claims];
      expect({ sub: is.sub, scp: is.scp, aud: is.aud, lifetime: (is.exp as number) - (is.iat as number) }).toEqual({
        sub: was.sub,
        scp: was.scp,
        aud: was.aud,
        lifetime: 300,
      });
      expect((await as(t, world, bearer(second.access_token)).read()).status).toBe(200);
      expectError(await as(t, world, bearer(first.access_token)).read(), 401, 'TOKEN_REVOKED', 'Invalid token: it has been revoked.');
      const again = await t.http('POST', TOKENS, { auth: null, json: { grant_type: 'refresh_token', refresh_token: first.refresh_token } });
      expectError(again, 401, 'TOKEN_REVOKED', /^Invalid token: .+\.$/);
    },
  }),
  scenario({
    id: 'trust/token-refresh-refusals',
    title: 'a refresh token with another token, none at all, or a made-up one is refused',
    requirements: ['EDGE-TRUST-18'],
    async run(t) {
      const { alice } = await callers(t);
      const one = await issueToken(t, alice.auth, { refreshable: true });
      const other = await issueToken(t, alice.auth);
      const refresh = (body: Record<string, unknown>) => t.http('POST', TOKENS, { auth: null, json: { grant_type: 'refresh_token', ...body } });
      expectError(
        await refresh({ refresh_token: one.refresh_token, access_token: other.access_token }),
        400,
        'INVALID_BODY',
        "The 'access_token' is not the token this refresh token belongs to.",
      );
      expectError(await refresh({}), 400, 'INVALID_BODY', "Invalid token request: 'refresh_token' is required with grant_type refresh_token.");
      expectError(await refresh({ refresh_token: 'made-up' }), 401, 'TOKEN_REVOKED', /^Invalid token: .+\.$/);
    },
  }),
  scenario({
    id: 'trust/token-refresh-race',
    title: 'five refreshes racing with one refresh token: exactly one wins',
    requirements: ['EDGE-TRUST-18'],
    async run(t) {
      const { alice } = await callers(t);
      const token = await issueToken(t, alice.auth, { refreshable: true });
      const results = await Promise.all(
        Array.from({ length: 5 }, () => t.http('POST', TOKENS, { auth: null, json: { grant_type: 'refresh_token', refresh_token: token.refresh_token } })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    },
  }),
];
