import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdge, parseConfig, type Edge } from '../edge/index.ts';
import { makeGoodToken } from '../protocol/token/mutations.ts';
import { accessPaths } from '../protocol/wire/access.ts';
import { ADMIN_PASSWORD, basic, raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, codeOf, expiredIssuer, issueToken, makeIssuer, type Issuer } from './trust-fixtures.ts';

/**
 * The trusted folder on disk (EDGE-TRUST-3, and EDGE-TRUST-4 for files copied in by hand): an
 * implementation matter, since another Edge may keep its trust elsewhere. Trusted certificates
 * over REST are checked by the trust scenarios (scenarios/scripted/trust/certificates.ts).
 */
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

describe('EDGE-TRUST-3: two Edges trusting each other by copied root.crt', () => {
  let a: RunningEdge;
  let b: RunningEdge;
  beforeAll(async () => {
    [a, b] = await Promise.all([startEdge(), startEdge()]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const adminToken = async (edge: RunningEdge) => (await issueToken(edge.url, edge.admin, { scope: 'applied-permissions/admin' })).access_token;

  it("A trusts B on the next request after B's root.crt is copied into A's trusted folder, and stops after it is deleted", async () => {
    const [fromA, fromB] = await Promise.all([adminToken(a), adminToken(b)]);
    const copied = join(trustedDir(a.dataDir), 'edge-b.crt');
    expect(codeOf(await asks(a, fromB))).toBe('TOKEN_UNTRUSTED_ISSUER');
    await copyFile(join(b.dataDir, 'access', 'keys', 'root.crt'), copied);
    expect((await asks(a, fromB)).status).toBe(200);
    await rm(copied);
    expect(codeOf(await asks(a, fromB))).toBe('TOKEN_UNTRUSTED_ISSUER');
    expect((await asks(a, fromA)).status).toBe(200);
    expect((await asks(b, fromB)).status).toBe(200);
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
