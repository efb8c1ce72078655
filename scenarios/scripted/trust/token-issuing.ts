import { accessPaths } from '../../../protocol/wire/access.ts';
import { expectError } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { decodeToken, issueToken, nowSecs, serviceIdOf } from '../../kit/tokens.ts';
import { user } from '../../kit/world.ts';
import { callers } from './callers.ts';

/** Issuing access tokens: `POST /access/api/v1/tokens`, its answer, its refusals, and who may ask for what. */

const TOKENS = accessPaths.tokens;
/** Far above any ceiling an Edge may set for `expires_in` (edgeproof's default is one year). */
const CENTURY_SECS = 100 * 365 * 24 * 3600;

export const tokenIssuingScenarios = [
  scenario({
    id: 'trust/token-issued-from-json',
    title: 'an admin gets a JFrog-shaped RS256 token for a user from a JSON request',
    requirements: ['EDGE-TRUST-6'],
    async run(t) {
      const { alice } = await callers(t);
      const serviceId = await serviceIdOf(t);
      const before = nowSecs();
      const res = await issueToken(t, t.edge.admin, { username: alice.name, scope: 'applied-permissions/user', expires_in: 120, audience: 'jfrt@*' });
      const after = nowSecs();
      expect(res).toEqual({
        token_id: expect.any(String),
        access_token: expect.any(String),
        expires_in: 120,
        scope: 'applied-permissions/user',
        token_type: 'Bearer',
      });
      const { header, claims } = decodeToken(res.access_token);
      expect(header).toEqual({ ver: '2', typ: 'JWT', alg: 'RS256', kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      expect(claims).toEqual({
        sub: `${serviceId}/users/${alice.name}`,
        scp: 'applied-permissions/user',
        aud: 'jfrt@*',
        iss: serviceId,
        iat: expect.any(Number),
        exp: expect.any(Number),
        jti: res.token_id,
      });
      expect(claims.iat).toBeGreaterThanOrEqual(before);
      expect(claims.iat).toBeLessThanOrEqual(after);
      expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    },
  }),
  scenario({
    id: 'trust/token-issued-from-form',
    title: 'form fields as JFrog clients send them are taken, with the caller, user scope, *@* and a lifetime as defaults',
    requirements: ['EDGE-TRUST-6'],
    async run(t) {
      const { alice } = await callers(t);
      const res = await t.http('POST', TOKENS, {
        auth: alice.auth,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&include_reference_token=false',
      });
      expect(res.status, res.text).toBe(200);
      const token = res.json() as { expires_in: number; scope: string; access_token: string };
      expect(token).toMatchObject({ scope: 'applied-permissions/user', token_type: 'Bearer' });
      const { claims } = decodeToken(token.access_token);
      expect(claims).toMatchObject({ sub: `${await serviceIdOf(t)}/users/${alice.name}`, aud: '*@*' });
      // The default lifetime is the Edge's setting (tokenDefaultExpiresInSecs): whatever it is, the answer and the token agree.
      expect(token.expires_in).toBeGreaterThan(0);
      expect((claims.exp as number) - (claims.iat as number)).toBe(token.expires_in);
    },
  }),
  scenario({
    id: 'trust/token-several-audiences',
    title: 'several audiences are written as an array',
    requirements: ['EDGE-TRUST-6'],
    async run(t) {
      const res = await issueToken(t, t.edge.admin, { audience: 'jfrt@* jfmd@*', refreshable: 'false' });
      expect(decodeToken(res.access_token).claims.aud).toEqual(['jfrt@*', 'jfmd@*']);
    },
  }),
  scenario({
    id: 'trust/token-request-refusals',
    title: 'a bad token request is refused with 400 naming the field, and anonymous callers with 401',
    requirements: ['EDGE-TRUST-6', 'EDGE-TRUST-7'],
    async run(t) {
      const ghost = t.name('ghost');
      const cases: [unknown, string, RegExp][] = [
        [{ expires_in: 0 }, 'INVALID_BODY', /only tokens that expire/],
        [{ expires_in: CENTURY_SECS }, 'INVALID_BODY', /'expires_in': at most \d+ seconds/],
        [{ expires_in: -5 }, 'INVALID_BODY', /expires_in/],
        [{ expires_in: 'soon' }, 'INVALID_BODY', /expires_in/],
        [{ scope: 'applied-permissions/users' }, 'INVALID_BODY', /scope/],
        [{ scope: 'api:*' }, 'INVALID_BODY', /scope/],
        [{ scope: 'applied-permissions/user system:admin' }, 'INVALID_BODY', /scope/],
        [{ audience: 'everyone' }, 'INVALID_BODY', /audience/],
        [{ refreshable: 'maybe' }, 'INVALID_BODY', /refreshable/],
        [{ username: '../etc' }, 'BAD_REQUEST', /Invalid user name/],
        [{ username: ghost, scope: 'applied-permissions/user' }, 'INVALID_BODY', new RegExp(`User '${ghost}' does not exist`)],
        [[1, 2], 'INVALID_BODY', /send JSON or form fields/],
      ];
      for (const [body, code, message] of cases) {
        await t.step(JSON.stringify(body), async () => expectError(await t.http('POST', TOKENS, { json: body }), 400, code, message));
      }
      const notJson = await t.http('POST', TOKENS, { headers: { 'content-type': 'application/json' }, body: '{' });
      expect(notJson.status).toBe(400);
      expect(notJson.json()).toMatchObject({ errors: [{ code: 'MALFORMED_JSON' }] });
      expectError(await t.http('POST', TOKENS, { auth: null, json: {} }), 401, 'UNAUTHENTICATED', 'Authentication is required');
    },
  }),
  scenario({
    id: 'trust/token-issued-to-users',
    title: 'a user gets tokens for themselves and their own groups, never with admin scope, for another user or for groups they are not in',
    requirements: ['EDGE-TRUST-7'],
    async run(t) {
      const { alice, bob, readers } = await callers(t);
      expect((await t.http('POST', TOKENS, { auth: alice.auth, json: { scope: `applied-permissions/groups:${readers}` } })).status).toBe(200);
      const forbidden: [unknown, string][] = [
        [{ username: bob.name }, 'Only an admin may create tokens for other users.'],
        [{ scope: 'applied-permissions/admin' }, 'Only an admin may create tokens with admin scope.'],
        [{ scope: `applied-permissions/groups:${t.name('admins')}` }, 'Only an admin may create tokens for groups the caller is not a member of.'],
      ];
      for (const [body, message] of forbidden) expectError(await t.http('POST', TOKENS, { auth: alice.auth, json: body }), 403, 'FORBIDDEN', message);
    },
  }),
  scenario({
    id: 'trust/token-issued-by-admins',
    title: 'an admin issues for any user, and with admin or groups scope even for users this Edge does not have',
    requirements: ['EDGE-TRUST-7'],
    async run(t) {
      const bob = await user(t, 'bob');
      const readers = t.name('readers');
      expect((await t.http('POST', TOKENS, { json: { username: bob.name } })).status).toBe(200);
      expect((await t.http('POST', TOKENS, { json: { username: t.name('deployer-bot'), scope: 'applied-permissions/admin' } })).status).toBe(200);
      expect((await t.http('POST', TOKENS, { json: { username: t.name('ci'), scope: `applied-permissions/groups:${readers}` } })).status).toBe(200);
    },
  }),
];
