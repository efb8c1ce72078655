import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdge, parseConfig, type Edge } from '../edge/index.ts';
import { makeGoodToken } from '../protocol/token/mutations.ts';
import { accessPaths } from '../protocol/wire/access.ts';
import { ADMIN_PASSWORD, basic, raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, codeOf, ecCertificatePem, expiredIssuer, futureIssuer, makeIssuer, putUser, type Issuer } from './trust-fixtures.ts';

const TRUSTED = accessPaths.trustedCertificates;
const trustedDir = (dataDir: string) => join(dataDir, 'access', 'keys', 'trusted');

/** An admin-scoped token from `issuer`, meant for any service. */
function tokenFrom(issuer: Issuer, untrusted: Issuer): Promise<string> {
  return makeGoodToken({
    trusted: issuer,
    untrusted,
    serviceId: '',
    clockSkewSecs: 0,
    now: Date.now,
    claims: { sub: `${issuer.serviceId}/users/svc`, scp: 'applied-permissions/admin', aud: '*@*', iss: issuer.serviceId, jti: 'j' },
  });
}

const put = (edge: RunningEdge, alias: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  raw(edge.url, 'PUT', `${TRUSTED}/${alias}`, { headers: { authorization: edge.admin, 'content-type': 'text/plain', ...headers }, body });
const list = async (edge: RunningEdge) =>
  (await raw(edge.url, 'GET', TRUSTED, { headers: { authorization: edge.admin } })).json() as {
    trusted: { alias: string; kid: string; subject: string; not_after: string }[];
    refused: { alias: string; reason: string }[];
  };
const asks = (edge: RunningEdge, token: string) => raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: bearer(token) } });

let issuer: Issuer;
let stranger: Issuer;
beforeAll(async () => {
  [issuer, stranger] = await Promise.all([makeIssuer(), makeIssuer('jfrt@01stranger000000000000000')]);
});

describe('EDGE-TRUST-5: trusted certificates over REST', () => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge();
    await putUser(edge.url, edge.admin, 'bob', {});
  });
  afterAll(() => edge.close());

  it('adds (201), lists, replaces (200) and removes (204) a certificate; its tokens work exactly while it is trusted', async () => {
    const token = await tokenFrom(issuer, stranger);
    expect(codeOf(await asks(edge, token))).toBe('TOKEN_UNTRUSTED_ISSUER');

    const added = await put(edge, 'issuer', issuer.certificatePem);
    expect(added.status).toBe(201);
    expect(added.json()).toMatchObject({ alias: 'issuer', kid: issuer.kid, subject: `CN=${issuer.serviceId}` });
    expect((await list(edge)).trusted).toEqual([expect.objectContaining({ alias: 'issuer', kid: issuer.kid })]);
    expect(await readdir(trustedDir(edge.dataDir))).toEqual(['issuer.crt']);
    expect((await asks(edge, token)).status).toBe(200);

    expect((await put(edge, 'issuer', issuer.certificatePem)).status).toBe(200);

    const removed = await raw(edge.url, 'DELETE', `${TRUSTED}/issuer`, { headers: { authorization: edge.admin } });
    expect(removed.status).toBe(204);
    expect(codeOf(await asks(edge, token))).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect(codeOf(await raw(edge.url, 'DELETE', `${TRUSTED}/issuer`, { headers: { authorization: edge.admin } }))).toBe('NOT_FOUND');
  });

  it('takes the certificate whatever the Content-Type, in PEM or DER', async () => {
    const der = Buffer.from(issuer.certificatePem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    for (const [alias, body, type] of [
      ['form', issuer.certificatePem, 'application/x-www-form-urlencoded'],
      ['pem', issuer.certificatePem, 'application/x-pem-file'],
      ['der', der, 'application/pkix-cert'],
      ['octets', der, 'application/octet-stream'],
    ] as const) {
      const res = await put(edge, alias, body, { 'content-type': type });
      expect(res.status, type).toBe(201);
      expect(res.json()).toMatchObject({ kid: issuer.kid });
    }
    for (const alias of ['form', 'pem', 'der', 'octets']) await raw(edge.url, 'DELETE', `${TRUSTED}/${alias}`, { headers: { authorization: edge.admin } });
  });

  it('EDGE-TRUST-4: refuses what is not a usable certificate with 400 CERT_INVALID saying why, and writes nothing', async () => {
    const expired = await expiredIssuer();
    const future = await futureIssuer();
    const weak = await makeIssuer('jfrt@01weak', { bits: 1024 });
    const pem = issuer.certificatePem;
    // Flip a byte inside the signature at the end of the DER: the certificate still parses.
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    der[der.length - 5] = (der[der.length - 5] as number) ^ 0xff;
    const cases: [string, string | Buffer, RegExp][] = [
      ['garbage', 'not a certificate', /does not parse/],
      ['empty', '', /empty/],
      ['truncated', pem.slice(0, pem.length / 2), /does not parse/],
      ['expired', expired.certificatePem, /expired on \d{4}-/],
      ['not yet valid', future.certificatePem, /not valid before \d{4}-/],
      ['EC key', await ecCertificatePem(), /ec key; tokens are RS256/],
      ['1024-bit RSA', weak.certificatePem, /1024-bit RSA key/],
      ['two certificates', pem + stranger.certificatePem, /holds 2 certificates/],
      ['tampered signature', der, /signature does not verify/],
      ['private key', issuer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, /does not parse/],
    ];
    for (const [what, body, message] of cases) {
      const res = await put(edge, 'candidate', body);
      expect(res.status, what).toBe(400);
      expect(res.json(), what).toMatchObject({ errors: [{ status: 400, code: 'CERT_INVALID', message: expect.stringMatching(message) }] });
    }
    expect(await readdir(trustedDir(edge.dataDir))).toEqual([]);
  });

  it('refuses aliases that are not plain names', async () => {
    for (const alias of ['.hidden', '-x', 'a%20b', '%2e%2e', 'x'.repeat(65)]) {
      const res = await put(edge, alias, issuer.certificatePem);
      expect(res.status, alias).toBe(400);
    }
    expect(await readdir(trustedDir(edge.dataDir))).toEqual([]);
  });

  it('is for admins: 401 without credentials, 403 for a user', async () => {
    const bob = basic('bob', 'bob-password-1');
    for (const [method, path] of [
      ['GET', TRUSTED],
      ['PUT', `${TRUSTED}/x`],
      ['DELETE', `${TRUSTED}/x`],
    ] as const) {
      expect(codeOf(await raw(edge.url, method, path, { body: method === 'PUT' ? issuer.certificatePem : undefined }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await raw(edge.url, method, path, { headers: { authorization: bob }, body: method === 'PUT' ? issuer.certificatePem : undefined }))).toBe(
        'FORBIDDEN',
      );
    }
  });
});

describe('EDGE-TRUST-3: the trusted folder', () => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge();
  });
  afterAll(() => edge.close());

  it('trusts a certificate copied into the folder on the very next request, and stops on the next one after it is removed', async () => {
    const token = await tokenFrom(issuer, stranger);
    for (let round = 0; round < 5; round++) {
      const file = join(trustedDir(edge.dataDir), 'copied.crt');
      await writeFile(file, issuer.certificatePem);
      expect((await asks(edge, token)).status, `round ${round}: copied`).toBe(200);
      await rm(file);
      expect(codeOf(await asks(edge, token)), `round ${round}: removed`).toBe('TOKEN_UNTRUSTED_ISSUER');
    }
  });

  it('notices a certificate file replaced in place by another', async () => {
    const file = join(trustedDir(edge.dataDir), 'swapped.crt');
    await writeFile(file, issuer.certificatePem);
    expect((await asks(edge, await tokenFrom(issuer, stranger))).status).toBe(200);
    await writeFile(file, stranger.certificatePem);
    expect(codeOf(await asks(edge, await tokenFrom(issuer, stranger)))).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect((await asks(edge, await tokenFrom(stranger, issuer))).status).toBe(200);
    await rm(file);
  });

  it('ignores files that are not *.crt and hidden temporaries', async () => {
    for (const name of ['issuer.pem', 'issuer.crt.bak', '.issuer.crt']) await writeFile(join(trustedDir(edge.dataDir), name), issuer.certificatePem);
    expect(codeOf(await asks(edge, await tokenFrom(issuer, stranger)))).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect(await list(edge)).toEqual({ trusted: [], refused: [] });
    for (const name of ['issuer.pem', 'issuer.crt.bak', '.issuer.crt']) await rm(join(trustedDir(edge.dataDir), name));
  });
});

describe('EDGE-TRUST-4: refused certificates in the folder', () => {
  const lines: { msg: string; file?: string; reason?: string }[] = [];
  let edge: Edge;
  let url: string;
  let dataDir: string;
  let clock = Date.now();
  const admin = basic('admin', ADMIN_PASSWORD);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-trust-'));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number]);
        done();
      },
    });
    const config = parseConfig({ port: 0, dataDir, adminPassword: ADMIN_PASSWORD, tokenClockSkewSecs: 0 });
    edge = await createEdge(config, { logger: pino({ level: 'info' }, sink), now: () => clock });
    url = await edge.listen();
  });
  afterAll(async () => {
    await edge.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('trust nothing, are listed with the reason and logged once', async () => {
    const expired = await expiredIssuer();
    await writeFile(join(trustedDir(dataDir), 'garbage.crt'), 'not a certificate');
    await writeFile(join(trustedDir(dataDir), 'expired.crt'), expired.certificatePem);
    const token = await tokenFrom(expired, stranger);
    const res = await raw(url, 'GET', '/artifactory/api/repositories', { headers: { authorization: bearer(token) } });
    expect(codeOf(res)).toBe('TOKEN_UNTRUSTED_ISSUER');

    const listed = (await raw(url, 'GET', TRUSTED, { headers: { authorization: admin } })).json() as { refused: { alias: string; reason: string }[] };
    expect(listed.refused).toEqual([
      { alias: 'expired', reason: expect.stringMatching(/expired on/) },
      { alias: 'garbage', reason: expect.stringMatching(/does not parse/) },
    ]);
    await raw(url, 'GET', TRUSTED, { headers: { authorization: admin } });
    const warnings = lines.filter((line) => line.msg.startsWith('trusted certificate refused'));
    expect(warnings.map((w) => [w.file?.split('/').pop(), w.reason]).sort()).toEqual([
      ['expired.crt', expect.stringMatching(/expired on/)],
      ['garbage.crt', expect.stringMatching(/does not parse/)],
    ]);
  });

  it('a trusted certificate stops trusting when it expires while loaded', async () => {
    await copyFile(join(trustedDir(dataDir), 'expired.crt'), join(trustedDir(dataDir), 'expired.crt.old'));
    await rm(join(trustedDir(dataDir), 'expired.crt'));
    await writeFile(join(trustedDir(dataDir), 'issuer.crt'), issuer.certificatePem);
    const tokenAt = (at: number) =>
      makeGoodToken({
        trusted: issuer,
        untrusted: stranger,
        serviceId: '',
        clockSkewSecs: 0,
        now: () => at,
        claims: { sub: 'x/users/svc', scp: 'applied-permissions/admin', aud: '*@*', iss: issuer.serviceId, jti: 'j' },
      });
    const ask = async () => raw(url, 'GET', '/artifactory/api/repositories', { headers: { authorization: bearer(await tokenAt(clock)) } });
    expect((await ask()).status).toBe(200);
    clock += 11 * 365 * 24 * 3600 * 1000;
    expect(codeOf(await ask())).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect(lines.some((line) => line.file?.endsWith('issuer.crt') && /expired on/.test(line.reason ?? ''))).toBe(true);
  });
});
