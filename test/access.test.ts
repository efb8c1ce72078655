import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, SECURITY_USERS as USERS, type PermissionTargetRequest } from '../protocol/wire/security.ts';
import { basic, clientsOf, snapshot, startEdge, type RawResponse, type RunningEdge } from './edge-harness.ts';
import { call, expectError, expectStatus, requestIdOf, withoutRequestId } from './edge-calls.ts';

/**
 * EDGE-AUTH-1..4 against real Edges on loopback: one with anonymous access off (the default),
 * one with it on. Users and permission targets are set up through the Edge's own security API.
 */

const UPLOADS = 'artifactory-edge-uploads';
const READ_ONLY = 'bundles-local';
const SECRET = 'secret content of an existing file\n';
const SECRET_SHA256 = createHash('sha256').update(SECRET).digest('hex');

let edge: RunningEdge; // anonymous access off
let anonEdge: RunningEdge; // anonymous access on

function expectBadCredentials(res: RawResponse): void {
  expectError(res, 401, 'BAD_CREDENTIALS', 'Bad credentials');
  expect(res.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"$/);
}

/**
 * A bearer token that does not check out: 401 with WWW-Authenticate, either `Bad credentials` or
 * one of the token codes of the error module (TOKEN_MALFORMED, TOKEN_BAD_SIGNATURE, ...).
 */
function expectTokenRefused(res: RawResponse): void {
  expect(res.status, res.text).toBe(401);
  const body = res.json() as { errors: { status: number; code: string; message: string }[] };
  expect(body).toEqual({
    errors: [{ status: 401, code: expect.stringMatching(/^(BAD_CREDENTIALS|TOKEN_[A-Z_]+)$/), message: expect.any(String), requestId: requestIdOf(res) }],
  });
  if (body.errors[0]?.code === 'BAD_CREDENTIALS') expect(body.errors[0].message).toBe('Bad credentials');
  expect(res.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"$/);
}

function expectUnauthenticated(res: RawResponse): void {
  expectError(res, 401, 'UNAUTHENTICATED', /[Aa]uthentication/);
  expect(res.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"$/);
}

async function expectUnchanged(on: RunningEdge, send: () => Promise<RawResponse>, check: (res: RawResponse) => void): Promise<void> {
  const before = await snapshot(on);
  check(await send());
  expect(await snapshot(on)).toEqual(before);
}

let userCount = 0;
/** A fresh user (unique name) on `on`, with a Basic header for it. */
async function newUser(on: RunningEdge, prefix: string, extra: Record<string, unknown> = {}): Promise<{ name: string; password: string; auth: string }> {
  const name = `${prefix}${++userCount}`;
  const password = `${name}-password`;
  expect(await clientsOf(on).artifactory.putUser(name, { password, email: `${name}@example.com`, ...extra }), `user ${name} created`).toBe(true);
  return { name, password, auth: basic(name, password) };
}

/** `status` 201: the target must be new; 200: it must replace one. */
async function grant(on: RunningEdge, target: string, repo: PermissionTargetRequest['repo'], status = 201): Promise<void> {
  expect(await clientsOf(on).artifactory.putPermission(target, { repo }), `permission ${target} created`).toBe(status === 201);
}

function forUser(name: string, actions: string[], repositories = [UPLOADS]): PermissionTargetRequest['repo'] {
  return { repositories, actions: { users: { [name]: actions } } };
}

beforeAll(async () => {
  // These Edges hear wrong passwords by the dozen from one address: login suspension
  // (EDGE-AUTH-9, test/login-suspension.test.ts) would answer 429 where these tests check the 401.
  const noSuspension = { loginSuspendAfterFailures: 0 };
  [edge, anonEdge] = await Promise.all([startEdge(noSuspension), startEdge({ ...noSuspension, anonymousAccess: true })]);
  for (const on of [edge, anonEdge]) {
    const { artifactory } = clientsOf(on);
    await artifactory.createRepository(READ_ONLY, { rclass: 'local' });
    await artifactory.deploy(`${UPLOADS}/dir/a.txt`, SECRET);
    await artifactory.setProperties(`${UPLOADS}/dir/a.txt`, { owner: ['admin'] });
  }
});

afterAll(async () => {
  await Promise.all([edge?.close(), anonEdge?.close()]);
});

describe('EDGE-AUTH-1: bad credentials are refused with 401 before anything else, never anonymous', () => {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const WRONG: { name: string; header: () => string; check?: (res: RawResponse) => void }[] = [
    { name: 'wrong admin password', header: () => basic('admin', 'not-the-admin-password') },
    { name: 'admin password with a different case', header: () => basic('ADMIN', 'admin-password-for-tests') },
    { name: 'unknown user', header: () => basic('mallory', 'mallory-password') },
    { name: 'empty password', header: () => basic('admin', '') },
    { name: 'empty user name', header: () => basic('', 'admin-password-for-tests') },
    { name: 'Basic !!!', header: () => 'Basic !!!' },
    { name: 'Basic without a colon', header: () => `Basic ${b64('admin')}` },
    { name: 'Basic with no value', header: () => 'Basic' },
    { name: 'Bearer x', header: () => 'Bearer x', check: expectTokenRefused },
    { name: 'Bearer with an unsigned JWT', header: () => 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.', check: expectTokenRefused },
    { name: 'Bearer with no token', header: () => 'Bearer', check: expectTokenRefused },
    { name: 'Digest y', header: () => 'Digest y' },
    { name: 'an unknown scheme', header: () => 'Negotiate YIIB' },
  ];

  for (const w of WRONG) {
    it(`EDGE-AUTH-1: ${w.name} → 401 ${w.check ? 'token refused' : 'Bad credentials'} with WWW-Authenticate on a read`, async () => {
      (w.check ?? expectBadCredentials)(await call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: w.header() }));
    });
  }

  it('EDGE-AUTH-1: a wrong password is refused on a write, and nothing changes', async () => {
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/${UPLOADS}/wrong-pw.txt`, { auth: basic('admin', 'wrong'), body: 'x' }),
      expectBadCredentials,
    );
    await expectUnchanged(edge, () => call(edge, 'DELETE', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: basic('admin', 'wrong') }), expectBadCredentials);
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', '/artifactory/api/repositories/wrong-pw', { auth: basic('admin', 'wrong'), json: { rclass: 'local' } }),
      expectBadCredentials,
    );
  });

  it('EDGE-AUTH-1: credentials are checked before the path, the route or the resource', async () => {
    const wrong = basic('admin', 'wrong');
    expectBadCredentials(await call(edge, 'GET', `/artifactory/${UPLOADS}/../etc/passwd`, { auth: wrong })); // would be 400
    expectBadCredentials(await call(edge, 'GET', `/artifactory/${UPLOADS}/absent.txt`, { auth: wrong })); // would be 404
    expectBadCredentials(await call(edge, 'GET', '/artifactory/api/no-such-endpoint', { auth: wrong })); // would be 404
    expectBadCredentials(await call(edge, 'PUT', `/artifactory/${READ_ONLY}/x.txt`, { auth: wrong, body: 'x' })); // would be 403
    expectBadCredentials(await call(edge, 'GET', '/artifactory/api/system/ping', { auth: wrong })); // would be 200
  });

  it('EDGE-AUTH-1: with anonymous access on, bad credentials still get 401, not an anonymous read', async () => {
    await expectStatus(call(anonEdge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`), 200);
    for (const header of [basic('admin', 'wrong'), basic('mallory', 'mallory-password'), 'Basic !!!', 'Digest y']) {
      expectBadCredentials(await call(anonEdge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: header }));
      expectBadCredentials(await call(anonEdge, 'GET', '/artifactory/api/repositories', { auth: header }));
    }
    expectTokenRefused(await call(anonEdge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: 'Bearer x' }));
    expectTokenRefused(await call(anonEdge, 'GET', '/artifactory/api/repositories', { auth: 'Bearer x' }));
  });

  it('EDGE-AUTH-1: the right password works (control)', async () => {
    const res = await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: edge.admin }), 200);
    expect(res.text).toBe(SECRET);
  });
});

describe('EDGE-AUTH-2: anonymous requests', () => {
  const READS = [
    `/artifactory/${UPLOADS}/dir/a.txt`,
    `/artifactory/${UPLOADS}/absent.txt`,
    `/artifactory/${UPLOADS}/`,
    `/artifactory/no-such-repo/a.txt`,
    `/artifactory/api/storage/${UPLOADS}/dir/a.txt`,
    `/artifactory/api/storage/${UPLOADS}?list&deep=1`,
    `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties`,
    `/artifactory/${UPLOADS}/dir/a.txt.sha256`,
    '/artifactory/api/repositories',
    '/artifactory/api/system/license',
  ];
  for (const path of READS) {
    it(`EDGE-AUTH-2: anonymous off: GET ${path} without credentials → 401`, async () => {
      expectUnauthenticated(await call(edge, 'GET', path));
    });
  }

  it('EDGE-AUTH-2: anonymous off: HEAD of an existing file without credentials → 401 with no content headers', async () => {
    const res = await call(edge, 'HEAD', `/artifactory/${UPLOADS}/dir/a.txt`);
    expect(res.status).toBe(401);
    expect(res.headers['x-checksum-sha256']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
  });

  it('EDGE-AUTH-2: anonymous off: writes without credentials → 401, nothing changes', async () => {
    await expectUnchanged(edge, () => call(edge, 'PUT', `/artifactory/${UPLOADS}/anon.txt`, { body: 'x' }), expectUnauthenticated);
    await expectUnchanged(edge, () => call(edge, 'DELETE', `/artifactory/${UPLOADS}/dir/a.txt`), expectUnauthenticated);
  });

  it('EDGE-AUTH-2: system probes answer without credentials', async () => {
    const ping = await expectStatus(call(edge, 'GET', '/artifactory/api/system/ping'), 200);
    expect(ping.text).toBe('OK');
    await expectStatus(call(edge, 'GET', '/artifactory/api/v1/system/readiness'), 200);
    await expectStatus(call(edge, 'GET', '/artifactory/api/v1/system/liveness'), 200);
    await expectStatus(call(edge, 'GET', '/router/api/v1/system/health'), 200);
  });

  it('EDGE-AUTH-2: anonymous on: reads without credentials → 200', async () => {
    const file = await expectStatus(call(anonEdge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`), 200);
    expect(file.text).toBe(SECRET);
    const info = await expectStatus(call(anonEdge, 'GET', `/artifactory/api/storage/${UPLOADS}/dir/a.txt`), 200);
    expect(info.json()).toMatchObject({ repo: UPLOADS, path: '/dir/a.txt', checksums: { sha256: SECRET_SHA256 } });
    const list = await expectStatus(call(anonEdge, 'GET', '/artifactory/api/repositories'), 200);
    expect((list.json() as { key: string }[]).map((r) => r.key).sort()).toEqual([UPLOADS, READ_ONLY].sort());
    expectError(await call(anonEdge, 'GET', `/artifactory/${UPLOADS}/absent.txt`), 404, 'NOT_FOUND', /absent\.txt/);
  });

  const WRITES: { name: string; send: () => Promise<RawResponse> }[] = [
    { name: 'artifact PUT', send: () => call(anonEdge, 'PUT', `/artifactory/${UPLOADS}/anon.txt`, { body: 'x' }) },
    { name: 'artifact PUT over an existing file', send: () => call(anonEdge, 'PUT', `/artifactory/${UPLOADS}/dir/a.txt`, { body: 'x' }) },
    {
      name: 'deploy by checksum',
      send: () =>
        call(anonEdge, 'PUT', `/artifactory/${UPLOADS}/anon-copy.txt`, { headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': SECRET_SHA256 } }),
    },
    { name: 'folder PUT', send: () => call(anonEdge, 'PUT', `/artifactory/${UPLOADS}/anon-folder/`) },
    { name: 'DELETE', send: () => call(anonEdge, 'DELETE', `/artifactory/${UPLOADS}/dir/a.txt`) },
    { name: 'property PUT', send: () => call(anonEdge, 'PUT', `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties=x=1`) },
    { name: 'property DELETE', send: () => call(anonEdge, 'DELETE', `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties=owner`) },
    { name: 'PATCH metadata', send: () => call(anonEdge, 'PATCH', `/artifactory/api/metadata/${UPLOADS}/dir/a.txt`, { json: { props: { x: '1' } } }) },
    { name: 'copy', send: () => call(anonEdge, 'POST', `/artifactory/api/copy/${UPLOADS}/dir/a.txt?to=/${UPLOADS}/anon-copy.txt`) },
    { name: 'move', send: () => call(anonEdge, 'POST', `/artifactory/api/move/${UPLOADS}/dir/a.txt?to=/${UPLOADS}/anon-moved.txt`) },
    { name: 'repository create', send: () => call(anonEdge, 'PUT', '/artifactory/api/repositories/anon-repo', { json: { rclass: 'local' } }) },
    { name: 'user create', send: () => call(anonEdge, 'PUT', `${USERS}/anon-user`, { json: { password: 'anon-password' } }) },
  ];
  for (const w of WRITES) {
    it(`EDGE-AUTH-2: anonymous on: ${w.name} without credentials → 401, nothing changes`, async () => {
      await expectUnchanged(anonEdge, w.send, expectUnauthenticated);
    });
  }
});

describe('EDGE-AUTH-3: a user without the right gets 403 for writes and 404 for reads', () => {
  let nobody: { name: string; auth: string };
  beforeAll(async () => {
    nobody = await newUser(edge, 'nobody');
  });

  const WRITES: { name: string; send: (auth: string) => Promise<RawResponse>; action: RegExp }[] = [
    { name: 'deploy to the uploads repository', send: (a) => call(edge, 'PUT', `/artifactory/${UPLOADS}/new.txt`, { auth: a, body: 'x' }), action: /write/ },
    {
      name: 'deploy by checksum of content they cannot read',
      send: (a) =>
        call(edge, 'PUT', `/artifactory/${UPLOADS}/new.txt`, { auth: a, headers: { 'x-checksum-deploy': 'true', 'x-checksum-sha256': SECRET_SHA256 } }),
      action: /write/,
    },
    { name: 'folder PUT', send: (a) => call(edge, 'PUT', `/artifactory/${UPLOADS}/new-folder/`, { auth: a }), action: /write/ },
    { name: 'DELETE of an existing file', send: (a) => call(edge, 'DELETE', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: a }), action: /delete/ },
    { name: 'property PUT', send: (a) => call(edge, 'PUT', `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties=x=1`, { auth: a }), action: /annotate/ },
    {
      name: 'property DELETE',
      send: (a) => call(edge, 'DELETE', `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties=owner`, { auth: a }),
      action: /annotate/,
    },
    {
      name: 'PATCH metadata',
      send: (a) => call(edge, 'PATCH', `/artifactory/api/metadata/${UPLOADS}/dir/a.txt`, { auth: a, json: { props: { x: '1' } } }),
      action: /annotate/,
    },
    {
      name: 'copy',
      send: (a) => call(edge, 'POST', `/artifactory/api/copy/${UPLOADS}/dir/a.txt?to=/${UPLOADS}/stolen.txt`, { auth: a }),
      action: /read|write/,
    },
    {
      name: 'move',
      send: (a) => call(edge, 'POST', `/artifactory/api/move/${UPLOADS}/dir/a.txt?to=/${UPLOADS}/stolen.txt`, { auth: a }),
      action: /read|write|delete/,
    },
  ];
  for (const w of WRITES) {
    it(`EDGE-AUTH-3: ${w.name} without permission → 403 FORBIDDEN, nothing changes`, async () => {
      await expectUnchanged(
        edge,
        () => w.send(nobody.auth),
        (res) => {
          expectError(res, 403, 'FORBIDDEN', new RegExp(nobody.name));
          expect(res.json()).toMatchObject({ errors: [{ message: expect.stringMatching(w.action) }] });
        },
      );
    });
  }

  /** An existing item the caller may not read must answer exactly like an absent one. */
  const READS: { name: string; existing: string; absent: string; hide: [string, string] }[] = [
    { name: 'GET of a file', existing: `/artifactory/${UPLOADS}/dir/a.txt`, absent: `/artifactory/${UPLOADS}/dir/zz.txt`, hide: ['dir/a.txt', 'dir/zz.txt'] },
    { name: 'GET of a folder listing', existing: `/artifactory/${UPLOADS}/dir/`, absent: `/artifactory/${UPLOADS}/nodir/`, hide: ['dir', 'nodir'] },
    {
      name: 'GET of a checksum file',
      existing: `/artifactory/${UPLOADS}/dir/a.txt.sha256`,
      absent: `/artifactory/${UPLOADS}/dir/zz.txt.sha256`,
      hide: ['dir/a.txt', 'dir/zz.txt'],
    },
    {
      name: 'storage info of a file',
      existing: `/artifactory/api/storage/${UPLOADS}/dir/a.txt`,
      absent: `/artifactory/api/storage/${UPLOADS}/dir/zz.txt`,
      hide: ['dir/a.txt', 'dir/zz.txt'],
    },
    {
      name: 'storage properties of a file',
      existing: `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties`,
      absent: `/artifactory/api/storage/${UPLOADS}/dir/zz.txt?properties`,
      hide: ['dir/a.txt', 'dir/zz.txt'],
    },
    {
      name: 'storage ?list of a folder',
      existing: `/artifactory/api/storage/${UPLOADS}/dir?list`,
      absent: `/artifactory/api/storage/${UPLOADS}/nodir?list`,
      hide: ['dir', 'nodir'],
    },
    { name: 'repository root listing', existing: `/artifactory/${UPLOADS}/`, absent: '/artifactory/no-such-repo/', hide: [UPLOADS, 'no-such-repo'] },
    {
      name: 'storage info of a repository root',
      existing: `/artifactory/api/storage/${UPLOADS}`,
      absent: '/artifactory/api/storage/no-such-repo',
      hide: [UPLOADS, 'no-such-repo'],
    },
  ];
  for (const r of READS) {
    it(`EDGE-AUTH-3: ${r.name} they may not read → 404 exactly as for an absent item`, async () => {
      const existing = await call(edge, 'GET', r.existing, { auth: nobody.auth });
      const absent = await call(edge, 'GET', r.absent, { auth: nobody.auth });
      expectError(existing, 404, 'NOT_FOUND', /.+/);
      expectError(absent, 404, 'NOT_FOUND', /.+/);
      const masked = (res: RawResponse, hide: string) => withoutRequestId(res).replaceAll(hide, '<path>');
      expect(masked(existing, r.hide[0])).toBe(masked(absent, r.hide[1]));
      expect(existing.headers['content-type']).toBe(absent.headers['content-type']);
      expect(existing.text).not.toContain(SECRET_SHA256);
      // Control: the admin sees the difference the user must not see.
      const admin = await call(edge, 'GET', r.existing, { auth: edge.admin });
      expect(admin.status).toBe(200);
    });
  }

  it('EDGE-AUTH-3: HEAD of a file they may not read → 404 with no content headers, as for an absent file', async () => {
    const existing = await call(edge, 'HEAD', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: nobody.auth });
    const absent = await call(edge, 'HEAD', `/artifactory/${UPLOADS}/dir/b.txt`, { auth: nobody.auth }); // same length
    expect([existing.status, absent.status]).toEqual([404, 404]);
    for (const header of ['etag', 'x-checksum-sha1', 'x-checksum-sha256', 'last-modified']) expect(existing.headers[header]).toBeUndefined();
    expect(existing.headers['content-length']).toBe(absent.headers['content-length']);
  });

  it('EDGE-AUTH-3: the repository list hides the repositories they cannot read', async () => {
    const res = await expectStatus(call(edge, 'GET', '/artifactory/api/repositories', { auth: nobody.auth }), 200);
    expect(res.json()).toEqual([]);
  });

  it('EDGE-AUTH-3: a read+write grant lets them deploy and read, and lists only that repository', async () => {
    const alice = await newUser(edge, 'alice');
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/${UPLOADS}/alice/one.txt`, { auth: alice.auth, body: 'one' }),
      (res) => expectError(res, 403, 'FORBIDDEN', new RegExp(alice.name)),
    );
    await grant(edge, `${alice.name}-uploads`, forUser(alice.name, ['read', 'write']));
    await expectStatus(call(edge, 'PUT', `/artifactory/${UPLOADS}/alice/one.txt`, { auth: alice.auth, body: 'one' }), 201);
    expect((await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: alice.auth }), 200)).text).toBe(SECRET);
    const list = await expectStatus(call(edge, 'GET', '/artifactory/api/repositories', { auth: alice.auth }), 200);
    expect((list.json() as { key: string }[]).map((r) => r.key)).toEqual([UPLOADS]);
  });

  it('EDGE-AUTH-3: overwriting an existing file needs "delete" as well as "write"', async () => {
    const user = await newUser(edge, 'writer');
    await grant(edge, `${user.name}-rw`, forUser(user.name, ['read', 'write']));
    await expectStatus(call(edge, 'PUT', `/artifactory/${UPLOADS}/${user.name}/file.txt`, { auth: user.auth, body: 'first' }), 201);
    for (const path of [`${user.name}/file.txt`, 'dir/a.txt']) {
      await expectUnchanged(
        edge,
        () => call(edge, 'PUT', `/artifactory/${UPLOADS}/${path}`, { auth: user.auth, body: 'second' }),
        (res) => expectError(res, 403, 'FORBIDDEN', /delete/),
      );
    }
    await expectUnchanged(
      edge,
      () => call(edge, 'DELETE', `/artifactory/${UPLOADS}/${user.name}/file.txt`, { auth: user.auth }),
      (res) => expectError(res, 403, 'FORBIDDEN', /delete/),
    );
    await grant(edge, `${user.name}-rw`, forUser(user.name, ['read', 'write', 'delete']), 200);
    await expectStatus(call(edge, 'PUT', `/artifactory/${UPLOADS}/${user.name}/file.txt`, { auth: user.auth, body: 'second' }), 201);
    expect((await call(edge, 'GET', `/artifactory/${UPLOADS}/${user.name}/file.txt`, { auth: user.auth })).text).toBe('second');
    await expectStatus(call(edge, 'DELETE', `/artifactory/${UPLOADS}/${user.name}/file.txt`, { auth: user.auth }), 204);
  });

  it('EDGE-AUTH-3: "read" alone does not allow deploying; "annotate" is needed for properties', async () => {
    const user = await newUser(edge, 'reader');
    await grant(edge, `${user.name}-r`, forUser(user.name, ['read']));
    await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: user.auth }), 200);
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/${UPLOADS}/${user.name}.txt`, { auth: user.auth, body: 'x' }),
      (res) => expectError(res, 403, 'FORBIDDEN', /write/),
    );
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties=x=1`, { auth: user.auth }),
      (res) => expectError(res, 403, 'FORBIDDEN', /annotate/),
    );
    await grant(edge, `${user.name}-r`, forUser(user.name, ['read', 'annotate']), 200);
    await expectStatus(call(edge, 'PUT', `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties=x=1`, { auth: user.auth }), 204);
    await expectStatus(call(edge, 'DELETE', `/artifactory/api/storage/${UPLOADS}/dir/a.txt?properties=x`, { auth: user.auth }), 204);
  });

  it('EDGE-AUTH-3: a grant to a group applies to its members, and leaving the group revokes it at once', async () => {
    const member = await newUser(edge, 'member', { groups: ['devs'] });
    const outsider = await newUser(edge, 'outsider', { groups: ['ops'] });
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/${UPLOADS}/devs/one.txt`, { auth: member.auth, body: 'x' }),
      (res) => expectError(res, 403, 'FORBIDDEN', new RegExp(member.name)),
    );
    await grant(edge, 'devs-uploads', { repositories: [UPLOADS], actions: { groups: { devs: ['read', 'write'] } } });
    await expectStatus(call(edge, 'PUT', `/artifactory/${UPLOADS}/devs/one.txt`, { auth: member.auth, body: 'x' }), 201);
    await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: member.auth }), 200);
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/${UPLOADS}/devs/two.txt`, { auth: outsider.auth, body: 'x' }),
      (res) => expectError(res, 403, 'FORBIDDEN', new RegExp(outsider.name)),
    );
    expectError(await call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: outsider.auth }), 404, 'NOT_FOUND', /dir\/a\.txt/);

    await expectStatus(call(edge, 'POST', `${USERS}/${member.name}`, { auth: edge.admin, json: { groups: [] } }), 200);
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/${UPLOADS}/devs/three.txt`, { auth: member.auth, body: 'x' }),
      (res) => expectError(res, 403, 'FORBIDDEN', new RegExp(member.name)),
    );
    expectError(await call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: member.auth }), 404, 'NOT_FOUND', /dir\/a\.txt/);
  });

  it('EDGE-AUTH-3: include patterns limit a grant to matching paths', async () => {
    const user = await newUser(edge, 'team');
    await grant(edge, `${user.name}-team`, { ...forUser(user.name, ['read', 'write']), 'include-patterns': ['team/**'] });
    await expectStatus(call(edge, 'PUT', `/artifactory/${UPLOADS}/team/x/file.txt`, { auth: user.auth, body: 'x' }), 201);
    await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/team/x/file.txt`, { auth: user.auth }), 200);
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/${UPLOADS}/other/file.txt`, { auth: user.auth, body: 'x' }),
      (res) => expectError(res, 403, 'FORBIDDEN', /write/),
    );
    expectError(await call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: user.auth }), 404, 'NOT_FOUND', /dir\/a\.txt/);
  });

  it('EDGE-AUTH-3: removing a permission target revokes it at once', async () => {
    const user = await newUser(edge, 'revoked');
    await grant(edge, `${user.name}-rw`, forUser(user.name, ['read', 'write']));
    await expectStatus(call(edge, 'PUT', `/artifactory/${UPLOADS}/${user.name}/a.txt`, { auth: user.auth, body: 'x' }), 201);
    await expectStatus(call(edge, 'DELETE', `${PERMISSIONS}/${user.name}-rw`, { auth: edge.admin }), 200);
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', `/artifactory/${UPLOADS}/${user.name}/b.txt`, { auth: user.auth, body: 'x' }),
      (res) => expectError(res, 403, 'FORBIDDEN', new RegExp(user.name)),
    );
    expectError(await call(edge, 'GET', `/artifactory/${UPLOADS}/${user.name}/a.txt`, { auth: user.auth }), 404, 'NOT_FOUND', /a\.txt/);
  });
});

describe('EDGE-AUTH-4: repository and security configuration are admin-only', () => {
  let manager: { name: string; password: string; auth: string };
  beforeAll(async () => {
    // Even "manage" on every repository does not make a user an admin.
    manager = await newUser(edge, 'manager');
    await grant(edge, 'manager-everything', forUser(manager.name, ['read', 'write', 'annotate', 'delete', 'manage'], ['ANY']));
  });

  const ADMIN_ONLY: { name: string; send: (auth: string | undefined) => Promise<RawResponse> }[] = [
    {
      name: 'PUT /api/repositories/{key} (create)',
      send: (a) => call(edge, 'PUT', '/artifactory/api/repositories/by-non-admin', { auth: a, json: { rclass: 'local' } }),
    },
    { name: 'GET /api/repositories/{key} (config)', send: (a) => call(edge, 'GET', `/artifactory/api/repositories/${UPLOADS}`, { auth: a }) },
    {
      name: 'POST /api/repositories/{key} (update)',
      send: (a) => call(edge, 'POST', `/artifactory/api/repositories/${UPLOADS}`, { auth: a, json: { description: 'hijacked' } }),
    },
    { name: 'DELETE /api/repositories/{key}', send: (a) => call(edge, 'DELETE', `/artifactory/api/repositories/${READ_ONLY}`, { auth: a }) },
    { name: 'GET /api/security/users', send: (a) => call(edge, 'GET', USERS, { auth: a }) },
    { name: 'GET /api/security/users/admin', send: (a) => call(edge, 'GET', `${USERS}/admin`, { auth: a }) },
    {
      name: 'PUT /api/security/users/{name} (create)',
      send: (a) => call(edge, 'PUT', `${USERS}/sneaky`, { auth: a, json: { password: 'sneaky-password', admin: true } }),
    },
    {
      name: 'POST /api/security/users/admin (password change)',
      send: (a) => call(edge, 'POST', `${USERS}/admin`, { auth: a, json: { password: 'taken-over-admin' } }),
    },
    { name: 'DELETE /api/security/users/{name}', send: (a) => call(edge, 'DELETE', `${USERS}/admin`, { auth: a }) },
    { name: 'GET /api/v2/security/permissions', send: (a) => call(edge, 'GET', PERMISSIONS, { auth: a }) },
    {
      name: 'PUT /api/v2/security/permissions/{name}',
      send: (a) =>
        call(edge, 'PUT', `${PERMISSIONS}/self-grant`, { auth: a, json: { repo: { repositories: ['ANY'], actions: { users: { sneaky: ['manage'] } } } } }),
    },
    { name: 'DELETE /api/v2/security/permissions/{name}', send: (a) => call(edge, 'DELETE', `${PERMISSIONS}/manager-everything`, { auth: a }) },
  ];
  for (const op of ADMIN_ONLY) {
    it(`EDGE-AUTH-4: ${op.name} by a non-admin (with manage everywhere) → 403 FORBIDDEN, nothing changes`, async () => {
      await expectUnchanged(
        edge,
        () => op.send(manager.auth),
        (res) => expectError(res, 403, 'FORBIDDEN', /admin/),
      );
    });
    it(`EDGE-AUTH-4: ${op.name} without credentials → 401`, async () => {
      await expectUnchanged(edge, () => op.send(undefined), expectUnauthenticated);
    });
  }

  it('EDGE-AUTH-4: the refused security writes really did nothing', async () => {
    expectError(await call(edge, 'GET', `${USERS}/sneaky`, { auth: edge.admin }), 404, 'NOT_FOUND', /sneaky/);
    expectError(await call(edge, 'GET', `${PERMISSIONS}/self-grant`, { auth: edge.admin }), 404, 'NOT_FOUND', /self-grant/);
    await expectStatus(call(edge, 'GET', `${PERMISSIONS}/manager-everything`, { auth: edge.admin }), 200);
    await expectStatus(call(edge, 'GET', '/artifactory/api/system/license', { auth: edge.admin }), 200);
    expectBadCredentials(await call(edge, 'GET', '/artifactory/api/system/license', { auth: basic('admin', 'taken-over-admin') }));
  });

  it('EDGE-AUTH-4: a user cannot make themselves admin', async () => {
    await expectUnchanged(
      edge,
      () => call(edge, 'POST', `${USERS}/${manager.name}`, { auth: manager.auth, json: { admin: true } }),
      (res) => expectError(res, 403, 'FORBIDDEN', /admin/),
    );
    const user = await expectStatus(call(edge, 'GET', `${USERS}/${manager.name}`, { auth: edge.admin }), 200);
    expect(user.json()).toMatchObject({ name: manager.name, admin: false });
  });

  it('EDGE-AUTH-4: with anonymous access on, anonymous configuration requests still get 401', async () => {
    for (const [method, path, json] of [
      ['GET', `/artifactory/api/repositories/${UPLOADS}`, undefined],
      ['PUT', '/artifactory/api/repositories/anon-repo', { rclass: 'local' }],
      ['GET', USERS, undefined],
      ['GET', PERMISSIONS, undefined],
    ] as const) {
      expectUnauthenticated(await call(anonEdge, method, path, json === undefined ? {} : { json }));
    }
  });

  it('EDGE-AUTH-4: a password change takes effect at once: the old password gets 401', async () => {
    const user = await newUser(edge, 'changer');
    await grant(edge, `${user.name}-r`, forUser(user.name, ['read']));
    // Used (and so possibly cached) before the change.
    await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: user.auth }), 200);
    await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: user.auth }), 200);
    await expectStatus(call(edge, 'POST', `${USERS}/${user.name}`, { auth: edge.admin, json: { password: 'brand-new-password' } }), 200);
    expectBadCredentials(await call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: user.auth }));
    await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: basic(user.name, 'brand-new-password') }), 200);
    // And again with PUT (replace).
    await expectStatus(call(edge, 'PUT', `${USERS}/${user.name}`, { auth: edge.admin, json: { password: 'third-password-ok' } }), 200);
    expectBadCredentials(await call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: basic(user.name, 'brand-new-password') }));
    await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: basic(user.name, 'third-password-ok') }), 200);
  });

  it('EDGE-AUTH-4: a removed user gets 401 at once', async () => {
    const user = await newUser(edge, 'removed');
    await grant(edge, `${user.name}-r`, forUser(user.name, ['read']));
    await expectStatus(call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: user.auth }), 200);
    await expectStatus(call(edge, 'DELETE', `${USERS}/${user.name}`, { auth: edge.admin }), 200);
    expectBadCredentials(await call(edge, 'GET', `/artifactory/${UPLOADS}/dir/a.txt`, { auth: user.auth }));
  });

  it('EDGE-AUTH-4: granting and revoking admin takes effect at once', async () => {
    const user = await newUser(edge, 'promoted');
    expectError(await call(edge, 'GET', USERS, { auth: user.auth }), 403, 'FORBIDDEN', /admin/);
    await expectStatus(call(edge, 'POST', `${USERS}/${user.name}`, { auth: edge.admin, json: { admin: true } }), 200);
    await expectStatus(call(edge, 'GET', USERS, { auth: user.auth }), 200);
    await expectStatus(call(edge, 'POST', `${USERS}/${user.name}`, { auth: edge.admin, json: { admin: false } }), 200);
    await expectUnchanged(
      edge,
      () => call(edge, 'PUT', '/artifactory/api/repositories/by-demoted', { auth: user.auth, json: { rclass: 'local' } }),
      (res) => expectError(res, 403, 'FORBIDDEN', /admin/),
    );
  });

  it('EDGE-AUTH-4: the admin can do all of it (control)', async () => {
    await expectStatus(call(edge, 'GET', USERS, { auth: edge.admin }), 200);
    await expectStatus(call(edge, 'GET', PERMISSIONS, { auth: edge.admin }), 200);
    await expectStatus(call(edge, 'PUT', '/artifactory/api/repositories/by-admin', { auth: edge.admin, json: { rclass: 'local' } }), 200);
    await expectStatus(call(edge, 'DELETE', '/artifactory/api/repositories/by-admin', { auth: edge.admin }), 200);
  });
});
