import { signWith } from '../../../protocol/token/mutations.ts';
import { expectRefusedUnchanged } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import {
  adminClaims,
  bearer,
  CLOCK_MARGIN_SECS,
  DEFAULT_SKEW_SECS,
  makeIssuer,
  nowSecs,
  serviceIdOf,
  signedToken,
  trustedService,
  UNTRUSTED_ISSUER,
} from '../../kit/tokens.ts';
import { UPLOADS_REPO } from '../../kit/world.ts';

/**
 * The token attacks the issue names, each on its own: an untrusted issuer, an expired token,
 * a token for another audience, and algorithm confusion. Each is an admin-scoped token that
 * tries to deploy; each is refused with its code and changes nothing.
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The same deploy with a good token lands: only what the scenario changed was wrong. */
async function acceptedDeploy(t: ScenarioContext, token: string): Promise<void> {
  const path = `${UPLOADS_REPO}/${t.name('accepted')}.txt`;
  const accepted = await t.http('PUT', `/artifactory/${path}`, { auth: bearer(token), body: 'ok' });
  expect(accepted.status, accepted.text).toBe(201);
  t.defer(() => t.clients().artifactory.delete(path));
}

/** An admin deploy with `token`, refused with `code` and `message`, leaving the Edge as it was. */
function refusedDeploy(t: ScenarioContext, token: string, code: string, message: string | RegExp) {
  const path = `/artifactory/${UPLOADS_REPO}/${t.name('refused')}.txt`;
  return expectRefusedUnchanged(t, () => t.http('PUT', path, { auth: bearer(token), body: 'must not land' }), 401, code, message);
}

export const tokenRejectionScenarios = [
  scenario({
    id: 'trust/untrusted-token-issuer',
    title: 'a token signed by a service whose certificate the Edge does not trust is refused with TOKEN_UNTRUSTED_ISSUER',
    requirements: ['EDGE-TRUST-11', 'EDGE-TRUST-17'],
    async run(t) {
      const simulator = await trustedService(t);
      const outsider = await makeIssuer('jfds@01outsider00000000000000000');
      const token = await signedToken(outsider, adminClaims(outsider));
      await refusedDeploy(t, token, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
      // Naming a trusted service in the claims changes nothing: the kid picks the key.
      const posing = await signedToken(outsider, adminClaims(simulator));
      await refusedDeploy(t, posing, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
    },
  }),
  scenario({
    id: 'trust/expired-token',
    title: "a trusted service's token that expired beyond the clock skew allowance is refused with TOKEN_EXPIRED",
    requirements: ['EDGE-TRUST-13', 'EDGE-TRUST-17'],
    async run(t) {
      const simulator = await trustedService(t);
      const exp = nowSecs() - 3600;
      const token = await signedToken(simulator, adminClaims(simulator, { iat: exp - 600, exp }));
      await refusedDeploy(t, token, 'TOKEN_EXPIRED', `Invalid token: it expired at ${new Date(exp * 1000).toISOString()}.`);
    },
  }),
  scenario({
    id: 'trust/wrong-audience',
    title: "a trusted service's token meant for other services is refused with TOKEN_WRONG_AUDIENCE",
    requirements: ['EDGE-TRUST-14', 'EDGE-TRUST-17'],
    async run(t) {
      const simulator = await trustedService(t);
      const serviceId = await serviceIdOf(t);
      const message = `Invalid token: its audience does not include ${serviceId}, jfrt@* or *@*.`;
      for (const aud of ['jfrt@01otheredge0000000000000000', 'jfds@*', 'jfrt', ['jfmc@*', 'jfrt@01otheredge0000000000000000']]) {
        await t.step(`aud ${JSON.stringify(aud)}`, async () => {
          await refusedDeploy(t, await signedToken(simulator, adminClaims(simulator, { aud })), 'TOKEN_WRONG_AUDIENCE', message);
        });
      }
      // The same token naming this Edge is accepted: the audience alone was wrong.
      const path = `${UPLOADS_REPO}/${t.name('right-audience')}.txt`;
      const accepted = await t.http('PUT', `/artifactory/${path}`, {
        auth: bearer(await signedToken(simulator, adminClaims(simulator, { aud: serviceId }))),
        body: 'ok',
      });
      expect(accepted.status, accepted.text).toBe(201);
      t.defer(() => t.clients().artifactory.delete(path));
    },
  }),
  scenario({
    id: 'trust/token-algorithm-confusion',
    title:
      "tokens under the trusted service's kid with alg none, HMAC keyed with its public key, or another RSA algorithm are refused with TOKEN_BAD_ALGORITHM",
    requirements: ['EDGE-TRUST-10', 'EDGE-TRUST-17'],
    async run(t) {
      const simulator = await trustedService(t);
      const header = { ver: '2', typ: 'JWT', kid: simulator.kid };
      const message = 'Invalid token: the signing algorithm must be RS256.';
      const forgeries: [string, () => Promise<string>][] = [
        ['alg none, unsigned', async () => `${b64({ ...header, alg: 'none' })}.${b64(adminClaims(simulator))}.`],
        ['alg None, unsigned', async () => `${b64({ ...header, alg: 'None' })}.${b64(adminClaims(simulator))}.`],
        ...(['pem', 'der'] as const).flatMap((format) =>
          (['HS256', 'HS512'] as const).map((alg): [string, () => Promise<string>] => [
            `${alg} keyed with the trusted public key (${format})`,
            () => signWith(adminClaims(simulator), { ...header, alg }, Buffer.from(simulator.publicKey.export({ type: 'spki', format: format as 'pem' }))),
          ]),
        ),
        ...(['PS256', 'RS512'] as const).map((alg): [string, () => Promise<string>] => [
          `${alg} signed with the trusted key`,
          () => signWith(adminClaims(simulator), { ...header, alg }, simulator.privateKey),
        ]),
      ];
      for (const [what, forge] of forgeries) await t.step(what, async () => refusedDeploy(t, await forge(), 'TOKEN_BAD_ALGORITHM', message));
      // The trusted key does sign good tokens: only the algorithm was wrong.
      await acceptedDeploy(t, await signedToken(simulator, adminClaims(simulator)));
    },
  }),
  scenario({
    id: 'trust/token-clock-skew',
    title: "another service's token keeps the clock skew allowance on exp, nbf and iat, and is refused beyond it",
    requirements: ['EDGE-TRUST-13'],
    async run(t) {
      const simulator = await trustedService(t);
      const within = DEFAULT_SKEW_SECS - CLOCK_MARGIN_SECS;
      const beyond = DEFAULT_SKEW_SECS + CLOCK_MARGIN_SECS;
      const read = async (claims: Record<string, unknown>) =>
        t.http('GET', '/artifactory/api/repositories', { auth: bearer(await signedToken(simulator, adminClaims(simulator, claims))) });
      const now = nowSecs();
      const cases: [string, Record<string, unknown>, number | string][] = [
        [`expired ${within}s ago`, { iat: now - 600, exp: now - within }, 200],
        [`expired ${beyond}s ago`, { iat: now - 600, exp: now - beyond }, 'TOKEN_EXPIRED'],
        [`valid ${within}s from now`, { nbf: now + within }, 200],
        [`valid ${beyond}s from now`, { nbf: now + beyond }, 'TOKEN_NOT_YET_VALID'],
        [`issued ${within}s from now`, { iat: now + within }, 200],
        [`issued ${beyond}s from now`, { iat: now + beyond }, 'TOKEN_NOT_YET_VALID'],
      ];
      for (const [what, claims, expected] of cases) {
        await t.step(what, async () => {
          const res = await read(claims);
          if (typeof expected === 'number') expect(res.status, res.text).toBe(expected);
          else expect(res.json()).toMatchObject({ errors: [{ status: 401, code: expected }] });
        });
      }
    },
  }),
];
