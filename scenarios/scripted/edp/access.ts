import { USER_SCOPE } from '../../../protocol/token/index.ts';
import { EDP_BASE, edpPaths } from '../../../protocol/wire/edp.ts';
import { sentHeld } from '../../kit/bodies.ts';
import { sha256, signedBundle, type SignedBundle } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { adminClaims, bearer, issueToken, makeIssuer, signedToken, trustedService, type Issuer } from '../../kit/tokens.ts';
import { bundleTarget, cleanUpTransaction, freshFile, open, refusalSeries } from '../../kit/transactions.ts';
import { basic, user } from '../../kit/world.ts';

/**
 * EDP-TX-1: only an admin, or a service of the circle of trust with an admin-scoped token, drives
 * the protocol; everyone else is refused before the request body is read. The tokens are the
 * Edge's own and those of the simulated Distribution, whose certificate the harness trusts.
 */

/** Every EDP call on one OPEN transaction and one committed bundle name, with the given Authorization. */
function everyCall(t: ScenarioContext, bundle: SignedBundle, id: string) {
  const file = bundle.files[0];
  if (!file) throw new Error('the bundle has a file');
  const as = (auth: string | null) => ({ auth });
  return (auth: string | null): [string, () => Promise<RawResponse>][] => [
    ['start', () => t.http('POST', edpPaths.transactions, { ...as(auth), json: { bundle: bundle.jws } })],
    ['list', () => t.http('GET', edpPaths.transactions, as(auth))],
    ['status', () => t.http('GET', edpPaths.transaction(id), as(auth))],
    [
      'send a file',
      () => t.http('PUT', edpPaths.file(id, file.repoPath), { ...as(auth), headers: { 'x-checksum-sha256': sha256(file.bytes) }, body: file.bytes }),
    ],
    [
      'claim a file by checksum',
      () => t.http('PUT', edpPaths.file(id, file.repoPath), { ...as(auth), headers: { 'x-checksum-sha256': sha256(file.bytes), 'x-checksum-deploy': 'true' } }),
    ],
    ['commit', () => t.http('POST', edpPaths.commit(id), as(auth))],
    ['abort', () => t.http('DELETE', edpPaths.transaction(id), as(auth))],
    ['delete the bundle', () => t.http('DELETE', edpPaths.releaseBundle(bundle.payload.name, bundle.payload.version), as(auth))],
  ];
}

/**
 * A token signed by the simulated Distribution, whose certificate the harness makes the Edge
 * trust, or by a service nobody trusted; admin-scoped, or user-scoped for the local `user`.
 */
async function serviceToken(issuer: Issuer, user?: string): Promise<string> {
  const claims = user === undefined ? adminClaims(issuer) : adminClaims(issuer, { sub: `${issuer.serviceId}/users/${user}`, scp: USER_SCOPE });
  return bearer(await signedToken(issuer, claims));
}

const withBody = (call: string): boolean => call === 'start' || call === 'send a file';

/** A token the Edge issues to whoever `auth` logs in as; revoked when the scenario ends. */
async function edgeToken(t: ScenarioContext, auth: string, scope?: string): Promise<string> {
  const token = await issueToken(t, auth, scope ? { scope } : {});
  t.defer(() => t.clients().access.revokeToken(token.token_id));
  return bearer(token.access_token);
}

export const accessScenarios = [
  scenario({
    id: 'edp/only-admins-drive-transactions',
    title: 'every EDP call without credentials or with bad ones is 401, from a user who is no admin 403, and changes nothing',
    requirements: ['EDP-TX-1', 'EDP-TX-2'],
    async run(t) {
      const repo = await bundleTarget(t);
      const bundle = await signedBundle(t, t.name('guarded'), '1.0', [freshFile(t, `${repo}/guarded/a.bin`)]);
      const { id } = await open(t, bundle);
      const plain = await user(t, 'edp-plain');
      const calls = everyCall(t, bundle, id);
      // Every call for each kind of refused password caller; the token kinds on the calls that carry a body.
      // The codes the catalogue names (EDGE-AUTH-1, EDGE-TRUST-11); any code where it names none.
      const callers: [string, string | null, number, string | RegExp, (call: string) => boolean][] = [
        ['without credentials', null, 401, /\S/, () => true],
        ['with a wrong password', basic('admin', 'not-the-password'), 401, 'BAD_CREDENTIALS', () => true],
        ['as a user who is not an admin', plain.auth, 403, /\S/, () => true],
        ["with the Edge's token of a user who is not an admin", await edgeToken(t, plain.auth), 403, /\S/, withBody],
        ["with a trusted service's token for a user who is not an admin", await serviceToken(await trustedService(t), plain.name), 403, /\S/, withBody],
        [
          'with the token of a service the Edge does not trust',
          await serviceToken(await makeIssuer('jfds@01edpstranger00000000000000')),
          401,
          'TOKEN_UNTRUSTED_ISSUER',
          withBody,
        ],
      ];
      const refused = await refusalSeries(t);
      for (const [who, auth, status, code, which] of callers) {
        for (const [call, send] of calls(auth).filter(([call]) => which(call))) await t.step(`${call}, ${who}`, () => refused.send(send, status, code));
      }
    },
  }),

  scenario({
    id: 'edp/admin-tokens-drive-transactions',
    title: "an admin-scoped access token of the Edge or of a service it trusts drives the protocol like an admin's password",
    requirements: ['EDP-TX-1'],
    async run(t) {
      const repo = await bundleTarget(t);
      const tokens: [string, string][] = [
        ["the Edge's own", await edgeToken(t, t.edge.admin, 'applied-permissions/admin')],
        ["the trusted Distribution's", await serviceToken(await trustedService(t))],
      ];
      for (const [whose, token] of tokens) {
        await t.step(`start and read a transaction with ${whose} token`, async () => {
          const bundle = await signedBundle(t, t.name('by-token'), '1.0', [freshFile(t, `${repo}/by-token/a.bin`)]);
          const res = await t.http('POST', edpPaths.transactions, { auth: token, json: { bundle: bundle.jws } });
          expect(res.status, res.text).toBe(201);
          const id = (res.json() as { id: string }).id;
          cleanUpTransaction(t, id);
          expect((await t.http('GET', edpPaths.transaction(id), { auth: token })).status).toBe(200);
        });
      }
    },
  }),

  scenario({
    id: 'edp/credentials-before-body',
    title: 'a refused caller is answered before the request body is sent',
    requirements: ['EDP-TX-1'],
    async run(t) {
      const repo = await bundleTarget(t);
      const file = freshFile(t, `${repo}/early/a.bin`, 200_000);
      const bundle = await signedBundle(t, t.name('early'), '1.0', [file]);
      const { id } = await open(t, bundle);
      const plain = await user(t, 'edp-plain');
      const startBody = Buffer.from(JSON.stringify({ bundle: bundle.jws }));
      for (const [who, auth, status] of [
        ['without credentials', null, 401],
        ['as a user who is not an admin', plain.auth, 403],
      ] as const) {
        await t.step(`start, ${who}`, async () => {
          const res = await sentHeld(t, 'POST', `${EDP_BASE}/transactions`, startBody, { auth, headers: { 'content-type': 'application/json' } });
          expect(res.status, res.text).toBe(status);
        });
        await t.step(`send a file, ${who}`, async () => {
          const res = await sentHeld(t, 'PUT', edpPaths.file(id, file.repoPath), file.bytes, { auth, headers: { 'x-checksum-sha256': sha256(file.bytes) } });
          expect(res.status, res.text).toBe(status);
        });
      }
    },
  }),
];
