import fc from 'fast-check';
import { REFUSALS, goodClaims, makeGoodToken, signWith, tokenMutations, type GoodToken, type Mutation } from '../../../protocol/token/mutations.ts';
import { accessPaths } from '../../../protocol/wire/access.ts';
import { snapshot } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { TRUST_ALIASES } from '../../kit/material.ts';
import { scenario } from '../../kit/scenario.ts';
import { bearer, CLOCK_MARGIN_SECS, DEFAULT_SKEW_SECS, makeIssuer, serviceIdOf, trustedService, type Issuer } from '../../kit/tokens.ts';
import { basic, UPLOADS_REPO } from '../../kit/world.ts';
import { callers, type Callers } from './callers.ts';

/**
 * A token of a trusted service that differs from a good one in exactly one respect, sent on
 * any kind of write, as bearer or as the password of basic auth, is refused with the code of
 * that respect — and nothing any of those writes could reach has changed (EDGE-TRUST-17).
 * The generators are the token contract's (protocol/token/mutations.ts), the same the unit
 * tests of `verifyToken` use.
 */

interface Write {
  label: string;
  send(authorization: string, n: number): Promise<RawResponse>;
}

/** Writes of every kind an Edge has, each of which the good token's user may or may not do. */
function writes(t: ScenarioContext, seed: string, strangerAlias: string, strangerPem: string): Write[] {
  const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return [
    { label: 'deploy', send: (auth, n) => t.http('PUT', `/artifactory/${UPLOADS_REPO}/refused/${n}.txt`, { auth, body: `body ${n}` }) },
    { label: 'delete', send: (auth, n) => t.http('DELETE', `/artifactory/${seed}?n=${n}`, { auth }) },
    { label: 'create repository', send: (auth, n) => t.http('PUT', `/artifactory/api/repositories/refused-${n}`, { auth, ...json({ rclass: 'local' }) }) },
    {
      label: 'create admin user',
      send: (auth, n) => t.http('PUT', `/artifactory/api/security/users/mallory${n}`, { auth, ...json({ password: 'mallory-password', admin: true }) }),
    },
    { label: 'issue admin token', send: (auth) => t.http('POST', accessPaths.tokens, { auth, ...json({ scope: 'applied-permissions/admin' }) }) },
    { label: 'trust a certificate', send: (auth) => t.http('PUT', accessPaths.trustedCertificate(strangerAlias), { auth, body: strangerPem }) },
    { label: 'remove trust', send: (auth) => t.http('DELETE', accessPaths.trustedCertificate(TRUST_ALIASES.simulatorCertificate), { auth }) },
  ];
}

/** Everything a refused write could have touched: items, blobs, repositories, users, tokens, trust. */
async function state(t: ScenarioContext): Promise<unknown> {
  const get = async (path: string) => (await t.http('GET', path)).json();
  return {
    content: await snapshot(t),
    users: await get('/artifactory/api/security/users'),
    tokens: await get(accessPaths.tokens),
    trusted: await get(accessPaths.trustedCertificates),
  };
}

/** EDGE-TRUST-15 needs a user the Edge does not have: run-unique names, so a shared Edge cannot hold one. */
function unknownUser(good: GoodToken, prefix: string): fc.Arbitrary<Mutation> {
  return fc.stringMatching(/^[a-z0-9]{1,8}$/).map((suffix) => ({
    respect: `user ${prefix}${suffix} does not exist here`,
    code: 'TOKEN_UNKNOWN_USER' as const,
    jwtShaped: true,
    make: () =>
      signWith(
        { ...goodClaims(good), sub: `${good.claims.iss}/users/${prefix}${suffix}` },
        { ver: '2', typ: 'JWT', alg: 'RS256', kid: good.trusted.kid },
        good.trusted.privateKey,
      ),
  }));
}

/** The good token a family of refusals starts from: its user is `world.alice`, `untrusted` a key the Edge does not trust. */
export type GoodTokenOf = (t: ScenarioContext, world: Callers, untrusted: Issuer) => Promise<GoodToken>;

/** A token of the simulated platform, which the harness makes the Edge trust, for alice. */
const fromTrustedService: GoodTokenOf = async (t, world, untrusted) => {
  const [issuer, serviceId] = await Promise.all([trustedService(t), serviceIdOf(t)]);
  return {
    trusted: issuer,
    untrusted,
    serviceId,
    // Time mutations land this far beyond the allowance, so clocks a little apart agree on them.
    clockSkewSecs: DEFAULT_SKEW_SECS + CLOCK_MARGIN_SECS,
    now: Date.now,
    claims: {
      sub: `${issuer.serviceId}/users/${world.alice.name}`,
      scp: 'applied-permissions/user',
      aud: serviceId,
      iss: issuer.serviceId,
      jti: t.name('good'),
    },
  };
};

/**
 * Every mutation of the good token with one of `codes`, sent on a random kind of write, as
 * bearer or as the password of basic auth, is refused with its code; afterwards nothing has
 * changed, and the good token itself is accepted.
 */
export async function checkRefusals(t: ScenarioContext, codes: readonly string[], goodOf: GoodTokenOf = fromTrustedService): Promise<void> {
  const [stranger, world] = await Promise.all([makeIssuer('jfrt@01stranger000000000000000'), callers(t)]);
  const good = await goodOf(t, world, stranger);
  const token = await makeGoodToken(good);
  await t.step('the good token is accepted', async () => {
    expect((await t.http('GET', `/artifactory/${world.seed}`, { auth: bearer(token) })).status).toBe(200);
  });

  const before = await state(t);
  const mutations = fc.oneof(tokenMutations(good), unknownUser(good, `${t.name('ghost')}-`)).filter((m) => codes.includes(m.code));
  const kinds = writes(t, world.seed, t.name('stranger'), stranger.certificatePem);
  await t.step('every mutation is refused with its code on every kind of write', () =>
    t.property(
      () =>
        fc.asyncProperty(mutations, fc.constantFrom(...kinds), fc.boolean(), fc.nat(), async (mutation, write, asPassword, n) => {
          const bad = await mutation.make();
          const authorization = asPassword && mutation.jwtShaped ? basic(world.alice.name, bad) : bearer(bad);
          const res = await write.send(authorization, n);
          expect(res.status, mutation.respect).toBe(401);
          expect(res.headers['www-authenticate']).toBe('Basic realm="Artifactory Realm"');
          expect(res.json(), mutation.respect).toEqual({
            errors: [{ status: 401, code: mutation.code, message: expect.stringMatching(/^Invalid token: .+\.$/), requestId: res.headers['x-request-id'] }],
          });
          // EDGE-TRUST-17: the message repeats no part of the token.
          for (const part of bad.split('.').filter((p) => p.length >= 8)) expect(res.text).not.toContain(part);
        }),
      ([mutation, write, asPassword, n]) => [
        `token: ${mutation.respect}`,
        `sent ${asPassword ? 'as the password of basic auth' : 'as bearer'}`,
        `${write.label} #${n}`,
      ],
    ),
  );
  await t.step('nothing any refused write could reach has changed', async () => expect(await state(t)).toEqual(before));

  await t.step('the good token still writes, as the password of basic auth', async () => {
    const path = `${UPLOADS_REPO}/${t.name('accepted')}.txt`;
    const accepted = await t.http('PUT', `/artifactory/${path}`, { auth: basic(world.alice.name, token), body: 'ok' });
    expect(accepted.status, accepted.text).toBe(201);
    t.defer(() => t.clients().artifactory.delete(path));
  });
}

/** One scenario per refusal family, named after its first code: `trust/refused-token-malformed`, … */
export const tokenRefusalScenarios = REFUSALS.map(({ id, codes }) =>
  scenario({
    id: `trust/refused-${(codes[0] as string).toLowerCase().replaceAll('_', '-')}`,
    title: `a trusted service's token changed in one respect is refused with ${codes.join(' or ')} on every kind of write, and nothing changes`,
    requirements: [id, 'EDGE-TRUST-17'],
    property: true,
    run: (t) => checkRefusals(t, codes),
  }),
);
