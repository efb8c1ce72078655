import { createHmac } from 'node:crypto';
import { generateKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePublicKey } from '../fixtures/keys/index.ts';
import { readSigningKey, signBundle } from '../protocol/bundle/index.ts';
import { snapshot, startEdge, type RunningEdge } from './edge-harness.ts';
import {
  EDP,
  commit,
  createRepo,
  errorCode,
  fixtureSigningKey,
  json,
  makeBundle,
  payloadOf,
  start,
  trustFixtureKey,
  uploadFile,
  type BundleFile,
} from './bundle-kit.ts';

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const fileOf = (name: string): BundleFile => ({ repoPath: `sig-local/${name}/file.bin`, bytes: Buffer.from(`bytes of ${name}`) });

/** EDP-SIG, EDP-TX-8: every refusal leaves the Edge exactly as it was. The trusted keys API (EDP-KEY) is checked by the trust scenarios. */
describe('bundle signatures and trusted keys', () => {
  let edge: RunningEdge;
  let clock = Date.UTC(2026, 10, 25, 12);
  let trustedKid: string;

  beforeAll(async () => {
    edge = await startEdge({ transactionTtlSecs: 7 * 24 * 3600 }, { now: () => clock });
    trustedKid = await trustFixtureKey(edge);
    await createRepo(edge, 'sig-local');
  });
  afterAll(() => edge.close());

  async function refusedAtStart(jws: string, status: number, code: string): Promise<void> {
    const before = await snapshot(edge);
    const res = await start(edge, jws);
    expect(res.status, res.text).toBe(status);
    expect(errorCode(res)).toBe(code);
    expect(res.text).not.toMatch(/\bat .*\(|\.ts:\d+/);
    expect(await snapshot(edge)).toEqual(before);
  }

  it('EDP-SIG: a bundle signed with the gpg-made RSA-3072 fixture key is accepted', async () => {
    const bundle = await makeBundle('gpg-made', '1.0', [fileOf('gpg-made')]);
    expect((await start(edge, bundle.jws)).status).toBe(201);
  });

  it('EDP-SIG-5: a key the Edge does not trust → 403 EDP_UNTRUSTED_KEY', async () => {
    const bundle = await makeBundle('untrusted', '1.0', [fileOf('untrusted')], await fixtureSigningKey('untrusted-signing'));
    await refusedAtStart(bundle.jws, 403, 'EDP_UNTRUSTED_KEY');
  });

  it("EDP-SIG: the trusted kid with another key's signature → 403 EDP_BAD_SIGNATURE", async () => {
    const other = await fixtureSigningKey('untrusted-signing');
    const jws = await signBundle(payloadOf('wrong-key', '1.0', [fileOf('wrong-key')]), { kid: trustedKid, jwk: other.jwk });
    await refusedAtStart(jws, 403, 'EDP_BAD_SIGNATURE');
  });

  it('EDP-SIG: alg none → 403 EDP_BAD_SIGNATURE', async () => {
    const payload = b64url(JSON.stringify(payloadOf('alg-none', '1.0', [fileOf('alg-none')])));
    await refusedAtStart(`${b64url(JSON.stringify({ alg: 'none', kid: trustedKid }))}.${payload}.`, 403, 'EDP_BAD_SIGNATURE');
  });

  it('EDP-SIG: HS256 keyed with the trusted public key → 403 EDP_BAD_SIGNATURE', async () => {
    const header = b64url(JSON.stringify({ alg: 'HS256', kid: trustedKid }));
    const payload = b64url(JSON.stringify(payloadOf('hs256', '1.0', [fileOf('hs256')])));
    const mac = createHmac('sha256', fixturePublicKey('bundle-signing')).update(`${header}.${payload}`).digest('base64url');
    await refusedAtStart(`${header}.${payload}.${mac}`, 403, 'EDP_BAD_SIGNATURE');
  });

  it('EDP-SIG: a payload changed after signing → 403 EDP_BAD_SIGNATURE', async () => {
    const bundle = await makeBundle('tampered', '1.0', [fileOf('tampered')]);
    const [header, , signature] = bundle.jws.split('.');
    const changed = b64url(JSON.stringify({ ...bundle.payload, description: 'changed after signing' }));
    await refusedAtStart(`${header}.${changed}.${signature}`, 403, 'EDP_BAD_SIGNATURE');
  });

  it('EDP-SIG: truncated JWS → refused, never accepted', async () => {
    const bundle = await makeBundle('truncated', '1.0', [fileOf('truncated')]);
    for (const cut of [bundle.jws.slice(0, -7), bundle.jws.slice(0, bundle.jws.lastIndexOf('.')), bundle.jws.slice(0, 40)]) {
      const before = await snapshot(edge);
      const res = await start(edge, cut);
      expect([400, 403]).toContain(res.status);
      expect(['EDP_BUNDLE_MALFORMED', 'EDP_BAD_SIGNATURE']).toContain(errorCode(res));
      expect(await snapshot(edge)).toEqual(before);
    }
  });

  it('EDP-SIG: hostile repo_paths inside a correctly signed bundle → 400 EDP_BUNDLE_MALFORMED', async () => {
    const hostile = [
      'sig-local/../etc/passwd',
      'sig-local/./x',
      'sig-local//x',
      '/sig-local/x',
      'sig-local/a\\b',
      'sig-local/%2e%2e/x',
      'sig-local/a\u0000b',
      'api/x',
      'sig-local',
    ];
    for (const repoPath of hostile) {
      const bundle = await makeBundle('hostile', '1.0', [{ repoPath, bytes: Buffer.from('x') }]);
      await refusedAtStart(bundle.jws, 400, 'EDP_BUNDLE_MALFORMED');
    }
  });

  it('EDP-TX-8: a key that expires between start and commit stops the commit', async () => {
    const keyPair = await generateKey({
      type: 'rsa',
      rsaBits: 2048,
      userIDs: [{ name: 'expiring', email: 'expiring@edgeproof.test' }],
      format: 'armored',
      config: { v6Keys: false },
      date: new Date(clock - 60_000),
      keyExpirationTime: 3600,
    });
    expect((await json(edge, 'POST', '/artifactory/api/security/keys/trusted', { alias: 'expiring', public_key: keyPair.publicKey })).status).toBe(201);
    const bundle = await makeBundle('expiring-key', '1.0', [fileOf('expiring-key')], await readSigningKey(keyPair.privateKey));
    const id = ((await start(edge, bundle.jws)).json() as { id: string }).id;
    await uploadFile(edge, id, bundle.files[0] as BundleFile);
    clock += 2 * 3600_000;
    const before = await snapshot(edge);
    const res = await commit(edge, id);
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('EDP_KEY_EXPIRED');
    expect(await snapshot(edge)).toEqual(before);
    // The same key can no longer start a transaction either.
    await refusedAtStart(
      (await makeBundle('expiring-key-2', '1.0', [fileOf('expiring-key-2')], await readSigningKey(keyPair.privateKey))).jws,
      403,
      'EDP_KEY_EXPIRED',
    );
  });
});

describe('EDP-TX-10, EDP-TX-11: transactions across restarts and time', () => {
  it('an OPEN transaction survives a restart and asks only for what is missing; idle ones expire and give bytes back', async () => {
    let clock = Date.UTC(2026, 10, 25, 12);
    const first = await startEdge({ transactionTtlSecs: 600 }, { now: () => clock });
    await trustFixtureKey(first);
    await createRepo(first, 'restart-local');
    const files: BundleFile[] = [
      { repoPath: 'restart-local/a.bin', bytes: Buffer.from('restart a') },
      { repoPath: 'restart-local/b.bin', bytes: Buffer.from('restart b') },
    ];
    const bundle = await makeBundle('restart', '1.0', files);
    const id = ((await start(first, bundle.jws)).json() as { id: string }).id;
    await uploadFile(first, id, files[0] as BundleFile);
    await first.edge.close();

    clock += 60_000;
    const second = await startEdge({ transactionTtlSecs: 600 }, { now: () => clock, dataDir: first.dataDir });
    try {
      const again = await start(second, bundle.jws);
      expect(again.status).toBe(200);
      expect(again.json()).toMatchObject({ id, state: 'OPEN', files: [{ state: 'PRESENT' }, { state: 'MISSING' }] });

      clock += 601_000;
      const expired = await json(second, 'GET', `${EDP}/transactions/${id}`);
      expect(expired.json()).toMatchObject({ state: 'EXPIRED', expires_at: null });
      const upload = await uploadFile(second, id, files[1] as BundleFile);
      expect(errorCode(upload)).toBe('EDP_TX_CLOSED');
      const snap = (await snapshot(second)) as { blobs: string[] };
      expect(snap.blobs.filter((b) => !b.startsWith('_tmp'))).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
