import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBundle } from '../protocol/bundle/index.ts';
import { clientsOf, filestoreFiles, raw, snapshot, startEdge, type RunningEdge } from './edge-harness.ts';
import {
  EDP,
  commit,
  createRepo,
  distribute,
  errorCode,
  json,
  fixtureSigningKey,
  makeBundle,
  payloadOf,
  sha256,
  start,
  trustFixtureKey,
  uploadFile,
  type BundleFile,
} from './bundle-kit.ts';

const files = (prefix: string, repo = 'prod-local'): BundleFile[] => [
  { repoPath: `${repo}/${prefix}/app.tar.gz`, bytes: Buffer.from(`app bytes of ${prefix}`), props: [{ key: 'release', values: [prefix] }] },
  { repoPath: `${repo}/${prefix}/docs/readme.md`, bytes: Buffer.from(`# ${prefix}\n`) },
  { repoPath: `${repo}/${prefix}/empty.txt`, bytes: Buffer.alloc(0) },
];

describe('Edge Distribution Protocol', () => {
  let edge: RunningEdge;
  const get = (path: string) => raw(edge.url, 'GET', path, { headers: { authorization: edge.admin } });

  beforeAll(async () => {
    edge = await startEdge();
    await trustFixtureKey(edge);
    await createRepo(edge, 'prod-local');
    await createRepo(edge, 'other-local');
  });
  afterAll(() => edge.close());

  it('EDP-TX-3, EDP-FILE-5, EDP-PUB-1, EDP-PUB-2, EDP-PUB-6, EDP-PUB-7, EDP-PUB-8: publishes a gpg-signed bundle all at once, exactly as signed', async () => {
    const bundle = await makeBundle('happy', '1.0.0', files('happy'));
    const started = await start(edge, bundle.jws);
    expect(started.status).toBe(201);
    const tx = started.json() as { id: string; state: string; files: { repo_path: string; state: string; checksum: string; size: number }[] };
    expect(tx.state).toBe('OPEN');
    expect(tx.files.map((f) => f.state)).toEqual(['MISSING', 'MISSING', 'MISSING']);

    for (const file of bundle.files) {
      const res = await uploadFile(edge, tx.id, file);
      expect(res.status, file.repoPath).toBe(201);
      expect(res.json()).toMatchObject({ repo_path: file.repoPath, state: 'PRESENT', checksum: sha256(file.bytes) });
      // Nothing is visible before commit.
      expect((await get(`/artifactory/${file.repoPath}`)).status).toBe(404);
    }
    expect((await get('/artifactory/api/release/bundles')).json()).toEqual({ bundles: {} });

    const committed = await commit(edge, tx.id);
    expect(committed.status).toBe(200);
    expect(committed.json()).toMatchObject({ state: 'COMMITTED', bundle: { name: 'happy', version: '1.0.0' } });

    for (const file of bundle.files) {
      const res = await get(`/artifactory/${file.repoPath}`);
      expect(res.status).toBe(200);
      expect(res.body.equals(file.bytes)).toBe(true);
      expect(res.headers['x-checksum-sha256']).toBe(sha256(file.bytes));
    }
    const props = await get('/artifactory/api/storage/prod-local/happy/app.tar.gz?properties');
    expect(props.json()).toMatchObject({ properties: { release: ['happy'] } });
    expect((await get('/artifactory/api/release/bundles')).json()).toEqual({
      bundles: { happy: [{ version: '1.0.0', created: '2026-11-25T12:00:00.000Z', status: 'COMPLETE', keep: false }] },
    });
    expect((await get('/artifactory/api/release/bundles/happy/1.0.0?format=jws')).text).toBe(bundle.jws);
    expect((await get('/artifactory/api/release/bundles/happy/1.0.0')).json()).toEqual({
      name: 'happy',
      version: '1.0.0',
      description: 'test bundle happy',
      created: '2026-11-25T12:00:00.000Z',
      artifacts: bundle.files.map((f) => ({ repo_path: f.repoPath, checksum: sha256(f.bytes), props: f.props ?? [] })),
    });
  });

  it("EDP-PUB-7, EDP-PUB-8, EDP-SIG-22: the JSON view has exactly JFrog's fields; unknown members stay in the JWS only", async () => {
    const file: BundleFile = { repoPath: 'prod-local/view/tool.bin', bytes: Buffer.from('tool bytes'), props: [{ key: 'k', values: ['v'] }] };
    const plain = payloadOf('view', '1.0', [file]);
    const signed = {
      id: 4242,
      ...plain,
      release_notes: { syntax: 'markdown', content: '# 1.0', rendered: '<h1>1.0</h1>' },
      signature: 'jfrog-signature',
      artifacts: plain.artifacts.map((a) => ({ ...a, download_token: 'secret-download-token', props: [{ key: 'k', values: ['v'], scope: 'x' }] })),
    };
    const jws = await signBundle(new TextEncoder().encode(JSON.stringify(signed)), await fixtureSigningKey());
    await distribute(edge, { payload: plain, jws, files: [file] });

    const view = await get('/artifactory/api/release/bundles/view/1.0');
    expect(view.status).toBe(200);
    expect(view.json()).toEqual({
      name: 'view',
      version: '1.0',
      description: 'test bundle view',
      release_notes: { syntax: 'markdown', content: '# 1.0' },
      created: '2026-11-25T12:00:00.000Z',
      artifacts: [{ repo_path: 'prod-local/view/tool.bin', checksum: sha256(file.bytes), props: [{ key: 'k', values: ['v'] }] }],
    });
    expect(view.text).not.toContain('secret-download-token');
    // The signed bytes, unknown members included, are what ?format=jws returns.
    expect((await get('/artifactory/api/release/bundles/view/1.0?format=jws')).text).toBe(jws);
    expect((await get('/artifactory/api/release/bundles/view/1.0?format=json')).json()).toEqual(view.json());
  });

  it('EDP-PUB-3: committed files are read-only to every user API', async () => {
    const res = await raw(edge.url, 'DELETE', '/artifactory/prod-local/happy/app.tar.gz', { headers: { authorization: edge.admin } });
    expect(res.status).toBe(403);
    expect(errorCode(res)).toBe('EDGE_READ_ONLY');
    const put = await raw(edge.url, 'PUT', '/artifactory/prod-local/happy/app.tar.gz', { headers: { authorization: edge.admin }, body: 'evil' });
    expect(put.status).toBe(403);
    expect((await get('/artifactory/prod-local/happy/app.tar.gz')).text).toBe('app bytes of happy');
  });

  it('EDP-TX-4, EDP-TX-8: start is idempotent for the same signed payload, and replaying a committed one changes nothing', async () => {
    const bundle = await makeBundle('idem', '1.0', files('idem'));
    const first = await start(edge, bundle.jws);
    const second = await start(edge, bundle.jws);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((second.json() as { id: string }).id).toBe((first.json() as { id: string }).id);
    const id = (first.json() as { id: string }).id;
    for (const file of bundle.files) await uploadFile(edge, id, file);
    expect((await commit(edge, id)).status).toBe(200);

    const before = await snapshot(edge);
    const replay = await start(edge, bundle.jws);
    expect(replay.status).toBe(200);
    expect(replay.json()).toMatchObject({ id, state: 'COMMITTED' });
    const recommit = await commit(edge, id);
    expect(recommit.status).toBe(409);
    expect(errorCode(recommit)).toBe('EDP_TX_CLOSED');
    const reupload = await uploadFile(edge, id, bundle.files[0] as BundleFile);
    expect(errorCode(reupload)).toBe('EDP_TX_CLOSED');
    expect(await snapshot(edge)).toEqual(before);
  });

  it('EDP-TX-5: a second bundle with the same name/version and other content is refused', async () => {
    const before = await snapshot(edge);
    const other = await makeBundle('idem', '1.0', files('idem-other'));
    const res = await start(edge, other.jws);
    expect(res.status).toBe(409);
    expect(errorCode(res)).toBe('EDP_BUNDLE_IMMUTABLE');
    // Also while the first one is still open.
    const a = await makeBundle('open-twice', '1.0', files('ot-a'));
    const b = await makeBundle('open-twice', '1.0', files('ot-b'));
    expect((await start(edge, a.jws)).status).toBe(201);
    const clash = await start(edge, b.jws);
    expect(errorCode(clash)).toBe('EDP_BUNDLE_IMMUTABLE');
    expect(((await snapshot(edge)) as { items: object }).items).toEqual((before as { items: object }).items);
  });

  it('EDP-TX-7, EDP-TX-8, EDP-FILE-8: commit with a file missing is refused with the list of missing files', async () => {
    const bundle = await makeBundle('partial', '1.0', files('partial'));
    const id = ((await start(edge, bundle.jws)).json() as { id: string }).id;
    await uploadFile(edge, id, bundle.files[0] as BundleFile);
    const before = await snapshot(edge);
    const res = await commit(edge, id);
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ errors: [{ code: 'EDP_INCOMPLETE', missing: ['prod-local/partial/docs/readme.md'] }] });
    expect(await snapshot(edge)).toEqual(before);
    // The empty file is content the Edge already holds (from 'happy'), so it started PRESENT.
    const status = await clientsOf(edge).edp.status(id);
    expect(status.files.find((f) => f.repo_path.endsWith('empty.txt'))?.state).toBe('PRESENT');
  });

  it('EDP-TX-8, EDP-TX-10: when staged bytes vanished, the refused commit lists them with the files never sent', async () => {
    const sent = { repoPath: 'prod-local/vanish/sent.bin', bytes: Buffer.from(`sent ${sha256('vanish')}`) };
    const unsent = { repoPath: 'prod-local/vanish/unsent.bin', bytes: Buffer.from('never sent') };
    const bundle = await makeBundle('vanish', '1.0', [sent, unsent]);
    const id = ((await start(edge, bundle.jws)).json() as { id: string }).id;
    expect((await uploadFile(edge, id, sent)).status).toBe(201);
    // The disk lost the staged blob (restored backup, failed drive): the Edge must ask for it again.
    const blob = (await filestoreFiles(edge.dataDir)).find((f) => f.endsWith(sha256(sent.bytes)));
    await rm(join(edge.dataDir, 'filestore', blob as string));
    const res = await commit(edge, id);
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ errors: [{ code: 'EDP_INCOMPLETE', missing: [sent.repoPath, unsent.repoPath] }] });
    const status = await clientsOf(edge).edp.status(id);
    expect(status.files.map((f) => f.state)).toEqual(['MISSING', 'MISSING']);
  });

  describe('EDP-FILE-1..4, EDP-TX-2: file transfer refusals change nothing', () => {
    let bundle: Awaited<ReturnType<typeof makeBundle>>;
    let id: string;
    const target = () => bundle.files[0] as BundleFile;
    beforeAll(async () => {
      bundle = await makeBundle('files', '1.0', [{ repoPath: 'prod-local/files/data.bin', bytes: Buffer.from('0123456789abcdef0123456789abcdef') }]);
      id = ((await start(edge, bundle.jws)).json() as { id: string }).id;
    });

    const refusals: [string, () => Parameters<typeof uploadFile>[3], number, string][] = [
      ['first byte differs', () => ({ bytes: Buffer.concat([Buffer.from('X'), target().bytes.subarray(1)]) }), 409, 'EDP_CHECKSUM_MISMATCH'],
      ['last byte differs', () => ({ bytes: Buffer.concat([target().bytes.subarray(0, -1), Buffer.from('X')]) }), 409, 'EDP_CHECKSUM_MISMATCH'],
      ['one byte short', () => ({ bytes: target().bytes.subarray(0, -1) }), 409, 'EDP_CHECKSUM_MISMATCH'],
      ['one byte long', () => ({ bytes: Buffer.concat([target().bytes, Buffer.from('X')]) }), 413, 'EDP_SIZE_EXCEEDED'],
      ['header disagrees with the bundle', () => ({ sha256: sha256('something else') }), 409, 'EDP_CHECKSUM_MISMATCH'],
    ];
    for (const [what, overrides, status, code] of refusals) {
      it(`${what} → ${status} ${code}`, async () => {
        const before = await snapshot(edge);
        const res = await uploadFile(edge, id, target(), overrides());
        expect(res.status).toBe(status);
        expect(errorCode(res)).toBe(code);
        expect(await snapshot(edge)).toEqual(before);
        const tx = await clientsOf(edge).edp.status(id);
        expect(tx.files[0]?.state).toBe('MISSING');
      });
    }

    it('a streamed body longer than the signed size is cut off with 413', async () => {
      async function* endless(): AsyncGenerator<Buffer> {
        for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, 1);
      }
      const res = await raw(edge.url, 'PUT', `${EDP}/transactions/${id}/files/prod-local/files/data.bin`, {
        headers: { authorization: edge.admin, 'x-checksum-sha256': sha256(target().bytes) },
        body: endless(),
      }).catch((error: Error) => ({ status: -1, error }));
      // The Edge answers 413 and closes; depending on timing the client may see the reset first.
      if (res.status !== -1) expect(res.status).toBe(413);
      expect((await filestoreFiles(edge.dataDir)).filter((f) => f.startsWith('_tmp'))).toEqual([]);
    });

    it('a path that is not in the bundle → 404 EDP_FILE_NOT_IN_BUNDLE', async () => {
      const res = await uploadFile(edge, id, { repoPath: 'prod-local/files/other.bin', bytes: Buffer.from('x') });
      expect(res.status).toBe(404);
      expect(errorCode(res)).toBe('EDP_FILE_NOT_IN_BUNDLE');
    });

    it('an unknown transaction → 404 EDP_TX_UNKNOWN', async () => {
      const res = await uploadFile(edge, 'no-such-tx', target());
      expect(errorCode(res)).toBe('EDP_TX_UNKNOWN');
    });

    it('the right bytes are then accepted, and again with 200', async () => {
      expect((await uploadFile(edge, id, target())).status).toBe(201);
      expect((await uploadFile(edge, id, target())).status).toBe(200);
    });
  });

  it('EDP-FILE-6, EDP-FILE-8: deploy by checksum uses content the Edge holds, 404 otherwise', async () => {
    const known = { repoPath: 'prod-local/cs/known.bin', bytes: Buffer.from('app bytes of happy') };
    const unknown = { repoPath: 'prod-local/cs/unknown.bin', bytes: Buffer.from(`unknown ${Date.now()}`) };
    const bundle = await makeBundle('by-checksum', '1.0', [known, unknown]);
    const started = (await start(edge, bundle.jws)).json() as { id: string; files: { repo_path: string; state: string }[] };
    // Content already held is PRESENT from the start: it is never transferred again.
    expect(started.files.find((f) => f.repo_path === known.repoPath)?.state).toBe('PRESENT');
    const res = await raw(edge.url, 'PUT', `${EDP}/transactions/${started.id}/files/${unknown.repoPath}`, {
      headers: { authorization: edge.admin, 'x-checksum-deploy': 'true' },
    });
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('EDP_CONTENT_UNKNOWN');
  });

  it('EDP-TX-8, EDP-PUB-1: of two bundles claiming one path with other content, only the first commits', async () => {
    const a = await makeBundle('race-a', '1.0', [{ repoPath: 'other-local/shared/file.bin', bytes: Buffer.from('content A') }]);
    const b = await makeBundle('race-b', '1.0', [{ repoPath: 'other-local/shared/file.bin', bytes: Buffer.from('content B') }]);
    const ids: string[] = [];
    for (const bundle of [a, b]) {
      const id = ((await start(edge, bundle.jws)).json() as { id: string }).id;
      await uploadFile(edge, id, bundle.files[0] as BundleFile);
      ids.push(id);
    }
    const results = await Promise.all(ids.map((id) => commit(edge, id)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409);
    expect(loser && errorCode(loser)).toBe('EDP_PATH_CONFLICT');
    const winner = results[0]?.status === 200 ? 'content A' : 'content B';
    expect((await get('/artifactory/other-local/shared/file.bin')).text).toBe(winner);
  });

  it('EDP-TX-9: abort reclaims staged bytes; a committed transaction cannot be aborted', async () => {
    const unique = { repoPath: 'prod-local/abort/x.bin', bytes: Buffer.from(`abort me ${Date.now()}`) };
    const bundle = await makeBundle('abort', '1.0', [unique]);
    const id = ((await start(edge, bundle.jws)).json() as { id: string }).id;
    await uploadFile(edge, id, unique);
    const blob = sha256(unique.bytes);
    expect((await filestoreFiles(edge.dataDir)).some((f) => f.endsWith(blob))).toBe(true);
    expect((await json(edge, 'DELETE', `${EDP}/transactions/${id}`)).status).toBe(204);
    expect((await filestoreFiles(edge.dataDir)).some((f) => f.endsWith(blob))).toBe(false);
    expect(await clientsOf(edge).edp.status(id)).toMatchObject({ state: 'ABORTED' });
    const committedId = ((await start(edge, (await makeBundle('happy', '1.0.0', files('happy'))).jws)).json() as { id: string }).id;
    const res = await json(edge, 'DELETE', `${EDP}/transactions/${committedId}`);
    expect(errorCode(res)).toBe('EDP_TX_CLOSED');
  });

  it('EDP-PUB-5: deleting a bundle removes its files but keeps those another bundle holds', async () => {
    const shared = { repoPath: 'prod-local/del/shared.txt', bytes: Buffer.from('shared by two bundles') };
    const own = { repoPath: 'prod-local/del/own.txt', bytes: Buffer.from(`own ${Date.now()}`) };
    await distribute(edge, await makeBundle('del-a', '1.0', [shared, own]));
    await distribute(edge, await makeBundle('del-b', '1.0', [shared]));
    expect((await json(edge, 'DELETE', '/artifactory/api/release/bundles/del-a/1.0')).status).toBe(204);
    expect((await get('/artifactory/prod-local/del/own.txt')).status).toBe(404);
    expect((await get('/artifactory/prod-local/del/shared.txt')).text).toBe('shared by two bundles');
    expect((await filestoreFiles(edge.dataDir)).some((f) => f.endsWith(sha256(own.bytes)))).toBe(false);
    expect((await json(edge, 'DELETE', '/artifactory/api/release/bundles/del-a/1.0')).status).toBe(404);
    expect((await get('/artifactory/api/release/bundles/del-a/1.0')).status).toBe(404);
  });

  describe('EDP-TX-6: target repositories', () => {
    it('a missing repository → 409 EDP_REPO_MISSING, or created on request', async () => {
      const bundle = await makeBundle('auto', '1.0', [{ repoPath: 'auto-created-local/a.txt', bytes: Buffer.from('a') }]);
      const refused = await start(edge, bundle.jws);
      expect(errorCode(refused)).toBe('EDP_REPO_MISSING');
      expect((await json(edge, 'GET', '/artifactory/api/repositories/auto-created-local')).status).toBe(404);
      const created = await start(edge, bundle.jws, { auto_create_missing_repositories: true });
      expect(created.status).toBe(201);
      expect((await json(edge, 'GET', '/artifactory/api/repositories/auto-created-local')).json()).toMatchObject({ rclass: 'local' });
    });

    it('a refused start creates no repository, even with auto-create on', async () => {
      const bundle = await makeBundle('half', '1.0', [
        { repoPath: 'would-be-created-local/a.txt', bytes: Buffer.from('a') },
        { repoPath: 'artifactory-edge-uploads/b.txt', bytes: Buffer.from('b') },
      ]);
      const before = await snapshot(edge);
      expect(errorCode(await start(edge, bundle.jws, { auto_create_missing_repositories: true }))).toBe('EDP_REPO_INVALID');
      expect(await snapshot(edge)).toEqual(before);
    });

    it('the uploads repository is not a bundle target → 409 EDP_REPO_INVALID', async () => {
      const bundle = await makeBundle('to-uploads', '1.0', [{ repoPath: 'artifactory-edge-uploads/a.txt', bytes: Buffer.from('a') }]);
      expect(errorCode(await start(edge, bundle.jws))).toBe('EDP_REPO_INVALID');
    });
  });

  describe('EDP-TX-1: only the circle of trust and admins drive transactions', () => {
    it('no credentials → 401, a plain user → 403', async () => {
      const bundle = await makeBundle('auth', '1.0', files('auth'));
      const anonymous = await raw(edge.url, 'POST', `${EDP}/transactions`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ bundle: bundle.jws }),
      });
      expect(anonymous.status).toBe(401);
      await clientsOf(edge).artifactory.putUser('plain', { password: 'plain-password', email: 'p@x' });
      const user = await raw(edge.url, 'POST', `${EDP}/transactions`, {
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('plain:plain-password').toString('base64')}` },
        body: JSON.stringify({ bundle: bundle.jws }),
      });
      expect(user.status).toBe(403);
    });
  });
});

describe('EDP-TX-1: Distribution and the source drive transactions with circle-of-trust tokens', () => {
  it('an admin-scoped token of a trusted service is accepted; a user-scoped one for a plain user is 403; an untrusted issuer is 401', async () => {
    const { makeIssuer } = await import('./trust-fixtures.ts');
    const { signToken } = await import('../protocol/token/index.ts');
    const edge = await startEdge();
    try {
      await trustFixtureKey(edge);
      await createRepo(edge, 'prod-local');
      const distribution = await makeIssuer('jfds@01distribution000000000000');
      const stranger = await makeIssuer('jfds@01stranger0000000000000000');
      const { access, artifactory } = clientsOf(edge);
      expect((await access.trustCertificate('distribution', distribution.certificatePem)).replaced).toBe(false);
      await artifactory.putUser('plain', { password: 'plain-password' });
      const exp = Math.floor(Date.now() / 1000) + 600;
      const token = (issuer: typeof distribution, sub: string, scp: string) => signToken({ sub, scp, aud: '*@*', exp, iss: issuer.serviceId }, issuer);
      const bundle = await makeBundle('by-token', '1.0', files('by-token'));
      const startWith = async (authorization: string) =>
        raw(edge.url, 'POST', `${EDP}/transactions`, {
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ bundle: bundle.jws }),
        });

      const admin = await startWith(`Bearer ${await token(distribution, `${distribution.serviceId}/users/admin`, 'applied-permissions/admin')}`);
      expect(admin.status).toBe(201);
      const user = await startWith(`Bearer ${await token(distribution, `${distribution.serviceId}/users/plain`, 'applied-permissions/user')}`);
      expect(user.status).toBe(403);
      const untrusted = await startWith(`Bearer ${await token(stranger, `${stranger.serviceId}/users/admin`, 'applied-permissions/admin')}`);
      expect(untrusted.status).toBe(401);
      expect(errorCode(untrusted)).toBe('TOKEN_UNTRUSTED_ISSUER');
    } finally {
      await edge.close();
    }
  });
});

describe('EDP-TX-4: concurrent starts of one bundle', () => {
  it('open exactly one transaction', async () => {
    const edge = await startEdge();
    try {
      await trustFixtureKey(edge);
      await createRepo(edge, 'prod-local');
      const bundle = await makeBundle('concurrent', '1.0', files('concurrent'));
      const answers = await Promise.all(Array.from({ length: 6 }, () => start(edge, bundle.jws)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => (a.json() as { id: string }).id)).size).toBe(1);
      expect(await clientsOf(edge).edp.transactions('OPEN')).toHaveLength(1);
    } finally {
      await edge.close();
    }
  });
});
