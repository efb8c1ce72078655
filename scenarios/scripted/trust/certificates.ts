import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { accessPaths } from '../../../protocol/wire/access.ts';
import { expectError, valueOrStatus } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import {
  adminClaims,
  bearer,
  derOf,
  ecCertificatePem,
  expiredIssuer,
  futureIssuer,
  makeIssuer,
  signedToken,
  type Issuer,
  UNTRUSTED_ISSUER,
} from '../../kit/tokens.ts';
import { user } from '../../kit/world.ts';

/** Trusted certificates over REST: adding, replacing, removing, and what is refused. */

const TRUSTED = accessPaths.trustedCertificates;

function put(t: ScenarioContext, alias: string, body: string | Buffer, contentType = 'text/plain'): Promise<RawResponse> {
  return t.http('PUT', `${TRUSTED}/${alias}`, { headers: { 'content-type': contentType }, body });
}

/** A run-unique alias, whose certificate is removed when the scenario ends if it is still there. */
function alias(t: ScenarioContext, base: string): string {
  const name = t.name(base);
  t.defer(() => valueOrStatus(() => t.clients().access.removeTrustedCertificate(name)));
  return name;
}

const trusted = async (t: ScenarioContext) => (await t.clients().access.trustedCertificates()).trusted;
/** An admin-only call with a token of `issuer`: 200 exactly while the Edge trusts it. */
const asks = async (t: ScenarioContext, issuer: Issuer) =>
  t.http('GET', '/artifactory/api/security/users', { auth: bearer(await signedToken(issuer, adminClaims(issuer))) });
/** The trusted folder's files, on targets whose data directory is on this machine; undefined elsewhere. */
async function trustedFiles(t: ScenarioContext): Promise<string[] | undefined> {
  return t.edge.dataDir ? (await readdir(join(t.edge.dataDir, 'access', 'keys', 'trusted'))).sort() : undefined;
}

/** Nothing trusted has changed: not the listing, nor (where visible) the folder. */
async function trustState(t: ScenarioContext): Promise<unknown> {
  return { listed: await t.clients().access.trustedCertificates(), files: await trustedFiles(t) };
}

export const certificateScenarios = [
  scenario({
    id: 'trust/certificate-added-replaced-removed',
    title: "a certificate is added (201), listed, replaced (200) and removed (204) over REST, and its service's tokens work exactly while it is trusted",
    requirements: ['EDGE-TRUST-5', 'EDGE-TRUST-11'],
    needs: ['trust-changes'],
    async run(t) {
      const issuer = await makeIssuer('jfrt@01issuer00000000000000000');
      const name = alias(t, 'issuer');
      expectError(await asks(t, issuer), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);

      const added = await put(t, name, issuer.certificatePem);
      expect(added.status, added.text).toBe(201);
      expect(added.json()).toMatchObject({ alias: name, kid: issuer.kid, subject: `CN=${issuer.serviceId}` });
      expect(await trusted(t)).toContainEqual(expect.objectContaining({ alias: name, kid: issuer.kid }));
      if (t.edge.dataDir) expect(await trustedFiles(t)).toContain(`${name}.crt`);
      expect((await asks(t, issuer)).status).toBe(200);

      expect((await put(t, name, issuer.certificatePem)).status).toBe(200);
      expect((await trusted(t)).filter((c) => c.alias === name)).toHaveLength(1);

      expect((await t.http('DELETE', `${TRUSTED}/${name}`)).status).toBe(204);
      expect((await trusted(t)).map((c) => c.alias)).not.toContain(name);
      if (t.edge.dataDir) expect(await trustedFiles(t)).not.toContain(`${name}.crt`);
      expectError(await asks(t, issuer), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
      expectError(await t.http('DELETE', `${TRUSTED}/${name}`), 404, 'NOT_FOUND', `No trusted certificate '${name}'.`);
    },
  }),
  scenario({
    id: 'trust/certificate-any-content-type',
    title: 'a certificate is taken whatever the Content-Type, in PEM or DER',
    requirements: ['EDGE-TRUST-5'],
    needs: ['trust-changes'],
    async run(t) {
      const issuer = await makeIssuer('jfrt@01issuer00000000000000000');
      const der = derOf(issuer.certificatePem);
      for (const [base, body, type] of [
        ['form', issuer.certificatePem, 'application/x-www-form-urlencoded'],
        ['pem', issuer.certificatePem, 'application/x-pem-file'],
        ['der', der, 'application/pkix-cert'],
        ['octets', der, 'application/octet-stream'],
      ] as const) {
        const res = await put(t, alias(t, base), body, type);
        expect(res.status, `${type}: ${res.text}`).toBe(201);
        expect(res.json()).toMatchObject({ kid: issuer.kid });
      }
    },
  }),
  scenario({
    id: 'trust/certificate-refusals',
    title: 'what is not a usable certificate is refused with 400 CERT_INVALID saying why, and nothing is trusted',
    requirements: ['EDGE-TRUST-4'],
    needs: ['trust-changes'],
    async run(t) {
      const [issuer, stranger, expired, future, weak, ec] = await Promise.all([
        makeIssuer('jfrt@01issuer00000000000000000'),
        makeIssuer('jfrt@01stranger000000000000000'),
        expiredIssuer(),
        futureIssuer(),
        makeIssuer('jfrt@01weak', { bits: 1024 }),
        ecCertificatePem(),
      ]);
      const pem = issuer.certificatePem;
      // A byte flipped inside the signature at the end of the DER: the certificate still parses.
      const tampered = derOf(pem);
      tampered[tampered.length - 5] = (tampered[tampered.length - 5] as number) ^ 0xff;
      const cases: [string, string | Buffer, RegExp][] = [
        ['garbage', 'not a certificate', /does not parse/],
        ['empty', '', /empty/],
        ['truncated', pem.slice(0, pem.length / 2), /does not parse/],
        ['expired', expired.certificatePem, /expired on \d{4}-/],
        ['not yet valid', future.certificatePem, /not valid before \d{4}-/],
        ['EC key', ec, /ec key; tokens are RS256/],
        ['1024-bit RSA', weak.certificatePem, /1024-bit RSA key/],
        ['two certificates', pem + stranger.certificatePem, /holds 2 certificates/],
        ['tampered signature', tampered, /signature does not verify/],
        ['private key', issuer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, /does not parse/],
      ];
      const name = alias(t, 'candidate');
      const before = await trustState(t);
      for (const [what, body, message] of cases) {
        await t.step(what, async () => expectError(await put(t, name, body), 400, 'CERT_INVALID', message));
      }
      expect(await trustState(t)).toEqual(before);
      // None of them made its key trusted.
      for (const refused of [issuer, expired, future]) expectError(await asks(t, refused), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
    },
  }),
  scenario({
    id: 'trust/certificate-alias-refusals',
    title: 'aliases that are not plain names are refused with 400, and nothing is trusted',
    requirements: ['EDGE-TRUST-5'],
    needs: ['trust-changes'],
    async run(t) {
      const issuer = await makeIssuer('jfrt@01issuer00000000000000000');
      const before = await trustState(t);
      for (const bad of ['.hidden', '-x', 'a%20b', '%2e%2e', 'x'.repeat(65)]) {
        await t.step(bad, async () => {
          const res = await put(t, bad, issuer.certificatePem);
          expect(res.status, res.text).toBe(400);
          expect(res.json()).toMatchObject({ errors: [{ status: 400, code: 'BAD_REQUEST', message: expect.stringMatching(/^Invalid alias/) }] });
        });
      }
      expect(await trustState(t)).toEqual(before);
      expectError(await asks(t, issuer), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
    },
  }),
  scenario({
    id: 'trust/certificates-admins-only',
    title: 'listing, adding and removing trusted certificates is refused without credentials (401) and to a user (403)',
    requirements: ['EDGE-TRUST-5'],
    async run(t) {
      const issuer = await makeIssuer('jfrt@01issuer00000000000000000');
      const bob = await user(t, 'bob');
      const name = t.name('x');
      const before = await trustState(t);
      for (const [method, path] of [
        ['GET', TRUSTED],
        ['PUT', `${TRUSTED}/${name}`],
        ['DELETE', `${TRUSTED}/${name}`],
      ] as const) {
        const body = method === 'PUT' ? { body: issuer.certificatePem } : {};
        expectError(await t.http(method, path, { auth: null, ...body }), 401, 'UNAUTHENTICATED', 'Authentication is required');
        expectError(await t.http(method, path, { auth: bob.auth, ...body }), 403, 'FORBIDDEN', 'This operation requires an admin user.');
      }
      expect(await trustState(t)).toEqual(before);
      expectError(await asks(t, issuer), 401, 'TOKEN_UNTRUSTED_ISSUER', UNTRUSTED_ISSUER);
    },
  }),
];
