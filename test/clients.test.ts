import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePublicKey, simulatorAccessCertificatePem } from '../fixtures/keys/index.ts';
import { checksumsOf } from '../protocol/checksums.ts';
import { AccessClient, ApiError, ArtifactoryClient, EdpClient } from '../protocol/clients/index.ts';
import { makeBundle } from './bundle-kit.ts';
import { ADMIN_PASSWORD, startEdge, type RunningEdge } from './edge-harness.ts';

const UP = 'artifactory-edge-uploads';
const ADMIN = { user: 'admin', password: ADMIN_PASSWORD };

/** The refusal a call ended in: its status and code. */
async function refusal(call: Promise<unknown>): Promise<[number, string | undefined]> {
  const error = await call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return [error.status, error.code];
}

describe('protocol/clients against a real Edge', () => {
  let edge: RunningEdge;
  let artifactory: ArtifactoryClient;
  beforeAll(async () => {
    edge = await startEdge();
    artifactory = new ArtifactoryClient({ url: edge.url, credentials: ADMIN });
  });
  afterAll(() => edge.close());

  describe('ArtifactoryClient', () => {
    it('EDGE-ART-1, EDGE-ART-2: deploys a stream with its checksums and matrix properties, and reads it back', async () => {
      const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(16 * 1024, i));
      const whole = Buffer.concat(chunks);
      const sums = checksumsOf(whole);
      const created = await artifactory.deploy(`${UP}/client/big.bin`, Readable.from(chunks), {
        checksums: { sha256: sums.sha256, sha1: sums.sha1 },
        properties: { release: ['1.0', 'rc 1'] },
      });
      expect(created).toMatchObject({ repo: UP, path: '/client/big.bin', size: String(whole.length), checksums: sums });
      expect(await artifactory.properties(`${UP}/client/big.bin`)).toEqual({ release: ['1.0', 'rc 1'] });

      const download = await artifactory.download(`${UP}/client/big.bin`);
      const hash = createHash('sha256');
      for await (const chunk of download.body ?? []) hash.update(chunk);
      expect(hash.digest('hex')).toBe(sums.sha256);
      const head = await artifactory.head(`${UP}/client/big.bin`);
      expect([head.status, head.headers.get('x-checksum-sha256'), head.headers.get('content-length')]).toEqual([200, sums.sha256, String(whole.length)]);
    });

    it('EDGE-ART-1, EDGE-ART-4, EDGE-ART-5: refuses a wrong checksum, deploys by checksum, serves a range', async () => {
      expect(await refusal(artifactory.deploy(`${UP}/client/wrong.txt`, 'content', { checksums: { sha1: checksumsOf('other').sha1 } }))).toEqual([
        409,
        'CHECKSUM_MISMATCH',
      ]);
      await artifactory.deploy(`${UP}/client/a.txt`, 'some content');
      const copy = await artifactory.deployByChecksum(`${UP}/client/b.txt`, { sha256: checksumsOf('some content').sha256 });
      expect(copy.checksums?.sha256).toBe(checksumsOf('some content').sha256);
      expect(await refusal(artifactory.deployByChecksum(`${UP}/client/c.txt`, { sha256: checksumsOf('never stored').sha256 }))).toEqual([
        404,
        'CHECKSUM_DEPLOY_UNKNOWN',
      ]);
      const part = await artifactory.download(`${UP}/client/a.txt`, { range: 'bytes=5-11' });
      expect([part.status, await part.text()]).toEqual([206, 'content']);
      const unchanged = await artifactory.download(`${UP}/client/a.txt`, { headers: { 'if-none-match': checksumsOf('some content').sha1 } });
      expect(unchanged.status).toBe(304);
    });

    it('reads folder info, lists, changes properties, copies, moves and deletes', async () => {
      await artifactory.createFolder(`${UP}/tree/empty`);
      await artifactory.deploy(`${UP}/tree/x.txt`, 'x');
      expect((await artifactory.folderInfo(`${UP}/tree`)).children).toEqual([
        { uri: '/empty', folder: true },
        { uri: '/x.txt', folder: false },
      ]);
      expect((await artifactory.fileInfo(`${UP}/tree/x.txt`)).size).toBe('1');
      expect((await artifactory.fileList(`${UP}/tree`, { deep: true, listFolders: true })).files.map((f) => f.uri)).toEqual(['/empty', '/x.txt']);

      await artifactory.setProperties(`${UP}/tree/x.txt`, { 'a.b': ['1,2', 'x|y'], c: ['3'] });
      expect(await artifactory.properties(`${UP}/tree/x.txt`, ['a.b'])).toEqual({ 'a.b': ['1,2', 'x|y'] });
      await artifactory.deleteProperties(`${UP}/tree/x.txt`, ['c']);
      await artifactory.updateProperties(`${UP}/tree/x.txt`, { d: 'v1,v2', 'a.b': null });
      expect(await artifactory.properties(`${UP}/tree/x.txt`)).toEqual({ d: ['v1', 'v2'] });

      expect((await artifactory.copy(`${UP}/tree`, `${UP}/copied`)).messages[0]?.message).toContain('1 artifacts');
      await artifactory.move(`${UP}/copied/x.txt`, `${UP}/moved/x.txt`);
      expect(await refusal(artifactory.fileInfo(`${UP}/copied/x.txt`))).toEqual([404, 'NOT_FOUND']);
      await artifactory.delete(`${UP}/moved`);
      expect(await refusal(artifactory.folderInfo(`${UP}/moved`))).toEqual([404, 'NOT_FOUND']);
    });

    it('EDGE-RO-1: carries the read-only refusal as an ApiError with its code', async () => {
      await artifactory.createRepository('client-local', { rclass: 'local' });
      expect(await refusal(artifactory.deploy('client-local/a.txt', 'x'))).toEqual([403, 'EDGE_READ_ONLY']);
    });

    it('manages repositories, users and permission targets', async () => {
      await artifactory.updateRepository('client-local', { description: 'from the client' });
      expect(await artifactory.repository('client-local')).toMatchObject({ key: 'client-local', rclass: 'local', description: 'from the client' });
      expect((await artifactory.repositories({ type: 'local' })).map((r) => r.key)).toContain('client-local');

      expect(await artifactory.putUser('reader', { password: 'reader-password', email: 'r@example.test' })).toBe(true);
      expect(await artifactory.putUser('reader', { email: 'reader@example.test' })).toBe(false);
      expect(await artifactory.user('reader')).toMatchObject({ name: 'reader', email: 'reader@example.test', admin: false });
      expect(await artifactory.putPermission('read-uploads', { repo: { repositories: [UP], actions: { users: { reader: ['read'] } } } })).toBe(true);
      expect((await artifactory.permission('read-uploads')).repo.actions.users).toEqual({ reader: ['read'] });
      expect((await artifactory.permissions()).map((p) => p.name)).toContain('read-uploads');
      const asReader = new ArtifactoryClient({ url: edge.url, credentials: { user: 'reader', password: 'reader-password' } });
      expect(await (await asReader.download(`${UP}/client/a.txt`)).text()).toBe('some content');
      await artifactory.deletePermission('read-uploads');
      await artifactory.deleteUser('reader');
      expect((await artifactory.users()).map((u) => u.name)).not.toContain('reader');
      await artifactory.deleteRepository('client-local');
    });

    it('reads the system endpoints', async () => {
      expect(await artifactory.ping()).toBe('OK');
      expect((await artifactory.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(await artifactory.serviceId()).toMatch(/^jfrt@/);
    });
  });

  describe('AccessClient', () => {
    it('EDGE-TRUST-6, EDGE-TRUST-16: creates, lists and revokes tokens; a token works as credentials', async () => {
      const access = new AccessClient({ url: edge.url, credentials: ADMIN });
      const issued = await access.createToken({ scope: 'applied-permissions/user', expires_in: 600, description: 'client test' });
      expect(await new ArtifactoryClient({ url: edge.url, credentials: { token: issued.access_token } }).serviceId()).toMatch(/^jfrt@/);
      expect((await access.tokens()).find((t) => t.token_id === issued.token_id)).toMatchObject({ description: 'client test', revoked: false });
      await access.revokeToken(issued.token_id);
      expect(await refusal(new ArtifactoryClient({ url: edge.url, credentials: { token: issued.access_token } }).repositories())).toEqual([
        401,
        'TOKEN_REVOKED',
      ]);
    });

    it('EDGE-TRUST-2, EDGE-TRUST-5: reads the root certificate and adds, lists and removes a trusted certificate', async () => {
      const access = new AccessClient({ url: edge.url, credentials: ADMIN });
      expect(await access.rootCertificate()).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const added = await access.trustCertificate('simulators', simulatorAccessCertificatePem());
      expect(added).toMatchObject({ replaced: false, certificate: { alias: 'simulators' } });
      expect((await access.trustedCertificates()).trusted.map((c) => c.alias)).toContain('simulators');
      await access.removeTrustedCertificate('simulators');
      expect((await access.trustedCertificates()).trusted.map((c) => c.alias)).not.toContain('simulators');
    });
  });

  describe('EdpClient', () => {
    it('EDP-KEY-2, EDP-TX-3, EDP-FILE-5, EDP-FILE-6, EDP-TX-8, EDP-PUB-5 … EDP-PUB-8: drives a bundle from start to deletion', async () => {
      const edp = new EdpClient({ url: `${edge.url}/artifactory`, credentials: ADMIN });
      const key = await edp.trustKey('client-key', fixturePublicKey('bundle-signing'));
      expect((await edp.trustedKeys()).map((k) => k.kid)).toEqual([key.kid]);
      await artifactory.createRepository('edp-client', { rclass: 'local' });
      const files = [
        { repoPath: 'edp-client/a.bin', bytes: Buffer.from('first file') },
        { repoPath: 'edp-client/dir/b.bin', bytes: Buffer.from('second file') },
      ];
      const bundle = await makeBundle('client-bundle', '1.0.0', files);

      const { transaction, created } = await edp.start({ bundle: bundle.jws });
      expect([created, transaction.state, transaction.files.map((f) => f.state)]).toEqual([true, 'OPEN', ['MISSING', 'MISSING']]);
      expect((await edp.start({ bundle: bundle.jws })).created).toBe(false);
      const [a, b] = files as [(typeof files)[0], (typeof files)[0]];
      const sha = (bytes: Buffer) => checksumsOf(bytes).sha256;
      expect(await refusal(edp.claimFile(transaction.id, a.repoPath, sha(a.bytes)))).toEqual([404, 'EDP_CONTENT_UNKNOWN']);
      expect((await edp.uploadFile(transaction.id, a.repoPath, a.bytes, { sha256: sha(a.bytes), size: a.bytes.length })).created).toBe(true);
      expect(await edp.uploadFile(transaction.id, a.repoPath, a.bytes, { sha256: sha(a.bytes) })).toMatchObject({ created: false, file: { state: 'PRESENT' } });
      await edp.uploadFile(transaction.id, b.repoPath, Readable.from([b.bytes]), { sha256: sha(b.bytes), size: b.bytes.length });
      expect((await edp.transactions('OPEN')).map((t) => t.id)).toEqual([transaction.id]);
      expect(await edp.commit(transaction.id)).toMatchObject({ state: 'COMMITTED', bundle: { name: 'client-bundle', version: '1.0.0' } });
      expect((await edp.status(transaction.id)).state).toBe('COMMITTED');

      expect((await edp.bundles())['client-bundle']?.map((v) => v.version)).toEqual(['1.0.0']);
      expect(await edp.bundle('client-bundle', '1.0.0')).toMatchObject({ name: 'client-bundle', version: '1.0.0' });
      expect(await edp.bundleJws('client-bundle', '1.0.0')).toBe(bundle.jws);
      await edp.deleteBundle('client-bundle', '1.0.0');
      expect(await refusal(edp.deleteBundle('client-bundle', '1.0.0'))).toEqual([404, 'EDP_BUNDLE_UNKNOWN']);
    });

    it('EDP-TX-9, EDP-KEY-7: aborts an open transaction and removes a trusted key', async () => {
      const edp = new EdpClient({ url: edge.url, credentials: ADMIN });
      const bundle = await makeBundle('client-abort', '1.0.0', [{ repoPath: 'edp-client/c.bin', bytes: Buffer.from('third') }]);
      const { transaction } = await edp.start({ bundle: bundle.jws });
      await edp.abort(transaction.id);
      expect((await edp.status(transaction.id)).state).toBe('ABORTED');
      const [key] = await edp.trustedKeys();
      await edp.removeTrustedKey(key?.kid ?? '');
      expect(await refusal(edp.start({ bundle: bundle.jws }))).toEqual([403, 'EDP_UNTRUSTED_KEY']);
    });
  });
});
