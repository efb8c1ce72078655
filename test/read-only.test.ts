import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, clientsOf, raw, startEdge, type RawResponse, type RunningEdge } from './edge-harness.ts';
import { call as callEdge, expectError, expectRefusedUnchanged as refusedUnchanged, expectStatus, type CallOptions } from './edge-calls.ts';

/**
 * EDGE-RO-1..4 against a real Edge on loopback: only `artifactory-edge-uploads` takes writes,
 * it cannot be removed or re-classed, and remote repositories must be smart.
 */

const UPLOADS = 'artifactory-edge-uploads';
const READ_ONLY = 'bundles-local';
const READ_ONLY_MESSAGE = 'Deployment to an Edge Artifactory node is not supported.';
const REMOTE_NOT_SMART_MESSAGE = 'Only smart remote repositories are supported with Artifactory Edge license';
const FULL_PASSWORD = 'full-user-password';
const NOBODY_PASSWORD = 'nobody-password';
const CONTENT = 'content that already exists in the uploads repository\n';
const CONTENT_SHA256 = createHash('sha256').update(CONTENT).digest('hex');
const CONTENT_SHA1 = createHash('sha1').update(CONTENT).digest('hex');

let edge: RunningEdge;

type Who = 'admin' | 'full user' | 'user without permissions' | 'anonymous';
const EVERYONE: Who[] = ['admin', 'full user', 'user without permissions', 'anonymous'];

function auth(who: Who): string | undefined {
  if (who === 'admin') return edge.admin;
  if (who === 'full user') return basic('full', FULL_PASSWORD);
  if (who === 'user without permissions') return basic('nobody', NOBODY_PASSWORD);
  return undefined;
}

const call = (method: string, path: string, options: CallOptions = {}): Promise<RawResponse> => callEdge(edge, method, path, options);
const expectRefusedUnchanged = (send: () => Promise<RawResponse>, status: number, code: string, message: string | RegExp) =>
  refusedUnchanged(edge, send, status, code, message);

beforeAll(async () => {
  edge = await startEdge({ anonymousAccess: true });
  const { artifactory } = clientsOf(edge);
  await artifactory.createRepository(READ_ONLY, { rclass: 'local' });
  await artifactory.deploy(`${UPLOADS}/dir/a.txt`, CONTENT);
  for (const [name, password] of [
    ['full', FULL_PASSWORD],
    ['nobody', NOBODY_PASSWORD],
  ] as const) {
    expect(await artifactory.putUser(name, { password }), `user ${name} created`).toBe(true);
  }
  const everything = { users: { full: ['read', 'write', 'annotate', 'delete', 'manage'] } };
  expect(await artifactory.putPermission('full-everywhere', { repo: { repositories: ['ANY'], actions: everything } })).toBe(true);
});

afterAll(() => edge?.close());

/** Every kind of write, aimed at the read-only repository; none of the paths exists there. */
const WRITES: { name: string; send: (auth: string | undefined) => Promise<RawResponse> }[] = [
  { name: 'artifact PUT', send: (a) => call('PUT', `/artifactory/${READ_ONLY}/new/file.txt`, { auth: a, body: 'bytes' }) },
  {
    name: 'artifact PUT at a path that exists in the uploads repository',
    send: (a) => call('PUT', `/artifactory/${READ_ONLY}/dir/a.txt`, { auth: a, body: CONTENT }),
  },
  { name: 'artifact PUT with matrix properties', send: (a) => call('PUT', `/artifactory/${READ_ONLY}/m.txt;status=dev`, { auth: a, body: 'bytes' }) },
  {
    name: 'deploy by checksum (X-Checksum-Deploy) of content the Edge holds',
    send: (a) =>
      call('PUT', `/artifactory/${READ_ONLY}/by-checksum.txt`, {
        auth: a,
        headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': CONTENT_SHA256, 'x-checksum-sha1': CONTENT_SHA1 },
      }),
  },
  { name: 'folder PUT (trailing slash)', send: (a) => call('PUT', `/artifactory/${READ_ONLY}/new/folder/`, { auth: a }) },
  { name: 'folder PUT of the repository root', send: (a) => call('PUT', `/artifactory/${READ_ONLY}/`, { auth: a }) },
  { name: 'DELETE of a file path', send: (a) => call('DELETE', `/artifactory/${READ_ONLY}/dir/a.txt`, { auth: a }) },
  { name: 'DELETE of the repository root', send: (a) => call('DELETE', `/artifactory/${READ_ONLY}`, { auth: a }) },
  { name: 'DELETE of the repository root with a trailing slash', send: (a) => call('DELETE', `/artifactory/${READ_ONLY}/`, { auth: a }) },
  { name: 'property PUT', send: (a) => call('PUT', `/artifactory/api/storage/${READ_ONLY}/dir/a.txt?properties=a=1`, { auth: a }) },
  { name: 'property PUT on the repository root', send: (a) => call('PUT', `/artifactory/api/storage/${READ_ONLY}?properties=a=1`, { auth: a }) },
  { name: 'property DELETE', send: (a) => call('DELETE', `/artifactory/api/storage/${READ_ONLY}/dir/a.txt?properties=a`, { auth: a }) },
  {
    name: 'PATCH /api/metadata',
    send: (a) => call('PATCH', `/artifactory/api/metadata/${READ_ONLY}/dir/a.txt`, { auth: a, json: { props: { a: '1', b: null } } }),
  },
  {
    name: 'PATCH /api/metadata on the repository root',
    send: (a) => call('PATCH', `/artifactory/api/metadata/${READ_ONLY}?recursiveProperties=1`, { auth: a, json: { props: { a: '1' } } }),
  },
];

describe('EDGE-RO-1: every write to a read-only repository is refused, whoever asks', () => {
  it('EDGE-RO-1: the read-only repository exists, is empty and is readable (the refusals below are not 404s in disguise)', async () => {
    const listing = await expectStatus(call('GET', `/artifactory/api/storage/${READ_ONLY}?list&deep=1&listFolders=1`, { auth: edge.admin }), 200);
    expect((listing.json() as { files: unknown[] }).files).toEqual([]);
    await expectStatus(call('GET', `/artifactory/api/storage/${READ_ONLY}`), 200);
  });

  for (const who of EVERYONE) {
    describe(`EDGE-RO-1: as ${who}`, () => {
      for (const write of WRITES) {
        it(`EDGE-RO-1: ${write.name} as ${who} → 403 EDGE_READ_ONLY, nothing changes`, async () => {
          await expectRefusedUnchanged(() => write.send(auth(who)), 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE);
        });
      }
    });
  }

  // Control: the principals above are able to write, so the refusals come from the read-only rule.
  for (const who of ['admin', 'full user'] as const) {
    it(`EDGE-RO-1: the same kinds of write by ${who} succeed on ${UPLOADS}`, async () => {
      const a = auth(who);
      const dir = `control-${who.replace(/\W/g, '-')}`;
      await expectStatus(call('PUT', `/artifactory/${UPLOADS}/${dir}/file.txt`, { auth: a, body: 'bytes' }), 201);
      await expectStatus(
        call('PUT', `/artifactory/${UPLOADS}/${dir}/by-checksum.txt`, {
          auth: a,
          headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': CONTENT_SHA256 },
        }),
        201,
      );
      await expectStatus(call('PUT', `/artifactory/${UPLOADS}/${dir}/folder/`, { auth: a }), 201);
      await expectStatus(call('PUT', `/artifactory/api/storage/${UPLOADS}/${dir}/file.txt?properties=a=1`, { auth: a }), 204);
      await expectStatus(call('PATCH', `/artifactory/api/metadata/${UPLOADS}/${dir}/file.txt`, { auth: a, json: { props: { b: '2' } } }), 204);
      await expectStatus(call('DELETE', `/artifactory/api/storage/${UPLOADS}/${dir}/file.txt?properties=a`, { auth: a }), 204);
      await expectStatus(call('DELETE', `/artifactory/${UPLOADS}/${dir}`, { auth: a }), 204);
    });
  }
});

describe('EDGE-RO-2: copy and move are refused when the source or the target is read-only', () => {
  const cases = [
    { name: `copy ${UPLOADS} → ${READ_ONLY}`, path: `/artifactory/api/copy/${UPLOADS}/dir/a.txt?to=/${READ_ONLY}/dir/a.txt` },
    { name: `move ${UPLOADS} → ${READ_ONLY}`, path: `/artifactory/api/move/${UPLOADS}/dir/a.txt?to=/${READ_ONLY}/dir/a.txt` },
    { name: `move of a folder ${UPLOADS} → ${READ_ONLY}`, path: `/artifactory/api/move/${UPLOADS}/dir?to=/${READ_ONLY}/dir` },
    { name: `copy ${READ_ONLY} → ${UPLOADS}`, path: `/artifactory/api/copy/${READ_ONLY}/dir/a.txt?to=/${UPLOADS}/from-ro.txt` },
    { name: `move ${READ_ONLY} → ${UPLOADS}`, path: `/artifactory/api/move/${READ_ONLY}/dir/a.txt?to=/${UPLOADS}/from-ro.txt` },
    { name: `copy ${READ_ONLY} → ${READ_ONLY}`, path: `/artifactory/api/copy/${READ_ONLY}/x.txt?to=/${READ_ONLY}/y.txt` },
  ];
  for (const who of ['admin', 'full user'] as const) {
    for (const c of cases) {
      it(`EDGE-RO-2: ${c.name} as ${who} → 403 EDGE_READ_ONLY, nothing changes`, async () => {
        await expectRefusedUnchanged(() => call('POST', c.path, { auth: auth(who) }), 403, 'EDGE_READ_ONLY', READ_ONLY_MESSAGE);
      });
    }
  }

  it('EDGE-RO-2: copy and move within the uploads repository still work (control)', async () => {
    await expectStatus(call('POST', `/artifactory/api/copy/${UPLOADS}/dir/a.txt?to=/${UPLOADS}/copied/a.txt`, { auth: edge.admin }), 200);
    await expectStatus(call('POST', `/artifactory/api/move/${UPLOADS}/copied/a.txt?to=/${UPLOADS}/moved/a.txt`, { auth: edge.admin }), 200);
    await expectStatus(call('GET', `/artifactory/${UPLOADS}/moved/a.txt`, { auth: edge.admin }), 200);
    await expectStatus(call('DELETE', `/artifactory/${UPLOADS}/moved`, { auth: edge.admin }), 204);
    await expectStatus(call('DELETE', `/artifactory/${UPLOADS}/copied`, { auth: edge.admin }), 204);
  });
});

describe(`EDGE-RO-3: ${UPLOADS} exists, cannot be deleted or re-classed`, () => {
  it(`EDGE-RO-3: ${UPLOADS} exists from the first start as a local generic repository`, async () => {
    const fresh = await startEdge();
    try {
      const config = await raw(fresh.url, 'GET', `/artifactory/api/repositories/${UPLOADS}`, { headers: { authorization: fresh.admin } });
      expect(config.status).toBe(200);
      expect(config.json()).toMatchObject({ key: UPLOADS, rclass: 'local', packageType: 'generic' });
      const list = await raw(fresh.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: fresh.admin } });
      expect(list.json()).toEqual([expect.objectContaining({ key: UPLOADS, type: 'LOCAL', packageType: 'Generic' })]);
    } finally {
      await fresh.close();
    }
  });

  it(`EDGE-RO-3: DELETE /api/repositories/${UPLOADS} → 403 UPLOADS_REPO_PROTECTED, nothing changes`, async () => {
    await expectRefusedUnchanged(
      () => call('DELETE', `/artifactory/api/repositories/${UPLOADS}`, { auth: edge.admin }),
      403,
      'UPLOADS_REPO_PROTECTED',
      new RegExp(`${UPLOADS}.*cannot be removed`),
    );
    await expectStatus(call('GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: edge.admin }), 200);
  });

  const reclass = [
    { name: 'rclass remote', body: { rclass: 'remote', url: 'http://x', contentSynchronisation: { enabled: true } }, field: /rclass/ },
    { name: 'rclass virtual', body: { rclass: 'virtual' }, field: /rclass/ },
    { name: 'packageType maven', body: { packageType: 'maven' }, field: /packageType/ },
    { name: 'packageType docker together with a description', body: { packageType: 'docker', description: 'sneaked in' }, field: /packageType/ },
    { name: 'rclass federated with the same packageType', body: { rclass: 'federated', packageType: 'generic' }, field: /rclass/ },
  ];
  for (const c of reclass) {
    it(`EDGE-RO-3: POST /api/repositories/${UPLOADS} with ${c.name} → 400 INVALID_BODY, nothing changes`, async () => {
      await expectRefusedUnchanged(
        () => call('POST', `/artifactory/api/repositories/${UPLOADS}`, { auth: edge.admin, json: c.body }),
        400,
        'INVALID_BODY',
        c.field,
      );
    });
  }

  it(`EDGE-RO-3: re-creating ${UPLOADS} with PUT as another package type → 400 REPO_EXISTS, nothing changes`, async () => {
    await expectRefusedUnchanged(
      () => call('PUT', `/artifactory/api/repositories/${UPLOADS}`, { auth: edge.admin, json: { rclass: 'local', packageType: 'maven' } }),
      400,
      'REPO_EXISTS',
      new RegExp(UPLOADS),
    );
  });

  it(`EDGE-RO-3: a description change of ${UPLOADS} is allowed and keeps class and package type`, async () => {
    await expectStatus(call('POST', `/artifactory/api/repositories/${UPLOADS}`, { auth: edge.admin, json: { description: 'Edge uploads, renamed' } }), 200);
    const config = await expectStatus(call('GET', `/artifactory/api/repositories/${UPLOADS}`, { auth: edge.admin }), 200);
    expect(config.json()).toMatchObject({ key: UPLOADS, rclass: 'local', packageType: 'generic', description: 'Edge uploads, renamed' });
    const list = await expectStatus(call('GET', '/artifactory/api/repositories', { auth: edge.admin }), 200);
    expect(list.json()).toContainEqual(expect.objectContaining({ key: UPLOADS, description: 'Edge uploads, renamed', type: 'LOCAL' }));
    // Still the writable one.
    await expectStatus(call('PUT', `/artifactory/${UPLOADS}/after-rename.txt`, { auth: edge.admin, body: 'x' }), 201);
  });
});

describe('EDGE-RO-4: only smart remote repositories may be created', () => {
  const notSmart = [
    { name: 'no contentSynchronisation', body: { rclass: 'remote', url: 'http://x' } },
    { name: 'contentSynchronisation.enabled=false', body: { rclass: 'remote', url: 'http://x', contentSynchronisation: { enabled: false } } },
    { name: 'contentSynchronisation without enabled', body: { rclass: 'remote', url: 'http://x', contentSynchronisation: {} } },
    { name: 'a package type and no contentSynchronisation', body: { rclass: 'remote', packageType: 'npm', url: 'https://registry.npmjs.org' } },
  ];
  for (const c of notSmart) {
    it(`EDGE-RO-4: remote with ${c.name} → 400 with the Edge licence message, nothing created`, async () => {
      await expectRefusedUnchanged(
        () => call('PUT', '/artifactory/api/repositories/plain-remote', { auth: edge.admin, json: c.body }),
        400,
        'REMOTE_NOT_SMART',
        REMOTE_NOT_SMART_MESSAGE,
      );
      expectError(await call('GET', '/artifactory/api/repositories/plain-remote', { auth: edge.admin }), 404, 'NOT_FOUND', /plain-remote/);
    });
  }

  it('EDGE-RO-4: a smart remote (contentSynchronisation.enabled=true) → 400 REPO_CLASS_UNSUPPORTED for now, nothing created', async () => {
    await expectRefusedUnchanged(
      () =>
        call('PUT', '/artifactory/api/repositories/smart-remote', {
          auth: edge.admin,
          json: { rclass: 'remote', url: 'http://x/artifactory/api/npm/npm', contentSynchronisation: { enabled: true } },
        }),
      400,
      'REPO_CLASS_UNSUPPORTED',
      /[Ss]mart remote/,
    );
    expectError(await call('GET', '/artifactory/api/repositories/smart-remote', { auth: edge.admin }), 404, 'NOT_FOUND', /smart-remote/);
  });

  it('EDGE-RO-4: a local repository can still be created (control), and it is read-only', async () => {
    const res = await expectStatus(call('PUT', '/artifactory/api/repositories/another-local', { auth: edge.admin, json: { rclass: 'local' } }), 200);
    expect(res.text).toBe("Successfully created repository 'another-local'");
    await expectRefusedUnchanged(
      () => call('PUT', '/artifactory/another-local/f.txt', { auth: edge.admin, body: 'x' }),
      403,
      'EDGE_READ_ONLY',
      READ_ONLY_MESSAGE,
    );
  });
});
