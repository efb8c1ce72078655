import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyId } from '../protocol/token/kid.ts';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';
import { bearer, decode, issueToken, makeIssuer } from './trust-fixtures.ts';

/**
 * The Edge's identity on disk (EDGE-TRUST-1, profile implementation). What a peer sees of it
 * over HTTP is checked by the trust scenarios (scenarios/scripted/trust/root-certificate.ts).
 */
const keys = (edge: RunningEdge) => join(edge.dataDir, 'access', 'keys');

describe("EDGE-TRUST-1: the Edge's own identity", () => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge();
  });
  afterAll(() => edge.close());

  it('creates an owner-only private key and a self-signed root certificate for its service id on first start', async () => {
    const keyFile = join(keys(edge), 'private.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const privateKey = createPrivateKey(await readFile(keyFile));
    const certificate = new X509Certificate(await readFile(join(keys(edge), 'root.crt')));
    expect(certificate.subject).toBe(`CN=${edge.edge.context.serviceId}`);
    expect(certificate.checkIssued(certificate)).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.publicKey.equals(createPublicKey(privateKey))).toBe(true);
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
    expect(new Date(certificate.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now() + 5 * 365 * 24 * 3600_000);
  });

  it("signs its tokens under kid = RFC 7638 thumbprint of the root certificate's key", async () => {
    const certificate = new X509Certificate(await readFile(join(keys(edge), 'root.crt')));
    const { access_token } = await issueToken(edge.url, edge.admin);
    expect(decode(access_token).header).toEqual({ ver: '2', typ: 'JWT', alg: 'RS256', kid: await keyId(certificate.publicKey) });
  });
});

describe('EDGE-TRUST-1, EDGE-TRUST-2: GET /access/api/v1/cert/root', () => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge();
  });
  afterAll(() => edge.close());

  it('returns root.crt as it is on disk', async () => {
    const res = await raw(edge.url, 'GET', '/access/api/v1/cert/root', { headers: { authorization: edge.admin } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toBe(await readFile(join(keys(edge), 'root.crt'), 'utf8'));
  });
});

describe('EDGE-TRUST-1: identity across restarts', () => {
  it('keeps key and certificate, so tokens issued before a restart still work', async () => {
    const first = await startEdge();
    const dataDir = first.dataDir;
    const pem = await readFile(join(keys(first), 'root.crt'), 'utf8');
    const { access_token } = await issueToken(first.url, first.admin);
    await first.edge.close();
    const second = await startEdge({}, { dataDir });
    try {
      expect(await readFile(join(keys(second), 'root.crt'), 'utf8')).toBe(pem);
      const res = await raw(second.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: bearer(access_token) } });
      expect(res.status).toBe(200);
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('re-creates a missing root certificate from the same key, so the kid stays', async () => {
    const first = await startEdge();
    const dataDir = first.dataDir;
    const before = new X509Certificate(await readFile(join(keys(first), 'root.crt')));
    await first.edge.close();
    await rm(join(dataDir, 'access', 'keys', 'root.crt'));
    const second = await startEdge({}, { dataDir });
    try {
      const after = new X509Certificate(await readFile(join(keys(second), 'root.crt')));
      expect(after.publicKey.equals(before.publicKey)).toBe(true);
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start when root.crt does not hold the public key of private.key', async () => {
    const first = await startEdge();
    const dataDir = first.dataDir;
    await first.edge.close();
    await writeFile(join(dataDir, 'access', 'keys', 'root.crt'), (await makeIssuer()).certificatePem);
    try {
      await expect(startEdge({}, { dataDir })).rejects.toThrowError(/does not hold the public key of .*private\.key/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
