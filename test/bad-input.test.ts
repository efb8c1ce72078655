import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsOf, filestoreFiles, raw, snapshot, startEdge, type RawResponse, type RunningEdge } from './edge-harness.ts';
import { call as callEdge, expectError, expectNoLeak, expectRefusedUnchanged as refusedUnchanged, expectStatus, type CallOptions } from './edge-calls.ts';

/**
 * EDGE-IN-1..7 against a real Edge on loopback. Hostile paths go through `raw()` so they reach
 * the Edge exactly as written; every refusal must carry Artifactory's error body with a stable
 * code and leave the Edge (API view and disk) unchanged.
 */

const UPLOADS = 'artifactory-edge-uploads';
const MAX_UPLOAD = 1000;
const MAX_JSON = 1024;

let edge: RunningEdge;

/** Defaults to admin (a refusal must not come from missing rights); `auth: null` sends none. */
function call(method: string, path: string, options: Omit<CallOptions, 'auth'> & { auth?: string | null } = {}): Promise<RawResponse> {
  return callEdge(edge, method, path, { ...options, auth: options.auth === null ? undefined : (options.auth ?? edge.admin) });
}

const expectRefusedUnchanged = (send: () => Promise<RawResponse>, status: number, code: string, message: string | RegExp) =>
  refusedUnchanged(edge, send, status, code, message);

function sendJson(method: string, path: string, text: string, headers: Record<string, string | number> = {}): Promise<RawResponse> {
  return call(method, path, { headers: { 'content-type': 'application/json', ...headers }, body: text });
}

async function tempFiles(): Promise<string[]> {
  return (await filestoreFiles(edge.dataDir)).filter((f) => f.startsWith('_tmp/'));
}

/** A body that streams `bytes` in chunks, then waits for `release` before ending. */
function heldBody(bytes: number, chunk: number, release: Promise<void>): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let sent = 0; sent < bytes; sent += chunk) yield Buffer.alloc(Math.min(chunk, bytes - sent), 0x61);
    await release;
  })();
}

/** Resolves with the response, or rejects if none arrives while the body is still held open. */
function answeredWhileBodyOpen(res: Promise<RawResponse>, ms = 3000): Promise<RawResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no response within ${ms} ms while the body was still being sent`)), ms);
  });
  return Promise.race([res, timeout]).finally(() => clearTimeout(timer));
}

beforeAll(async () => {
  edge = await startEdge({ maxUploadBytes: MAX_UPLOAD, maxJsonBytes: MAX_JSON });
  const { artifactory } = clientsOf(edge);
  await artifactory.deploy(`${UPLOADS}/dir/a.txt`, 'a text');
  await artifactory.deploy(`${UPLOADS}/dir/sub/b.txt`, 'b text');
  await artifactory.setProperties(`${UPLOADS}/dir/a.txt`, { a: ['1'] });
});

afterAll(() => edge?.close());

/**
 * The routes that take an item path; each gets `<repo>/<path>` exactly as it should go on the
 * wire. Writes would change something if they got through.
 */
const ROUTES: { name: string; underArtifactory?: true; send: (target: string) => Promise<RawResponse> }[] = [
  { name: 'GET artifact', underArtifactory: true, send: (t) => call('GET', `/artifactory/${t}`) },
  { name: 'PUT artifact', underArtifactory: true, send: (t) => call('PUT', `/artifactory/${t}`, { body: 'payload' }) },
  { name: 'PUT folder', underArtifactory: true, send: (t) => call('PUT', `/artifactory/${t}/`) },
  { name: 'DELETE artifact', underArtifactory: true, send: (t) => call('DELETE', `/artifactory/${t}`) },
  { name: 'GET storage info', send: (t) => call('GET', `/artifactory/api/storage/${t}`) },
  { name: 'GET storage ?list', send: (t) => call('GET', `/artifactory/api/storage/${t}?list&deep=1`) },
  { name: 'GET storage ?properties', send: (t) => call('GET', `/artifactory/api/storage/${t}?properties`) },
  { name: 'PUT storage ?properties', send: (t) => call('PUT', `/artifactory/api/storage/${t}?properties=a=2`) },
  { name: 'DELETE storage ?properties', send: (t) => call('DELETE', `/artifactory/api/storage/${t}?properties=a`) },
  { name: 'PATCH metadata', send: (t) => call('PATCH', `/artifactory/api/metadata/${t}`, { json: { props: { a: '3' } } }) },
  { name: 'POST copy (source)', send: (t) => call('POST', `/artifactory/api/copy/${t}?to=/${UPLOADS}/copied`) },
  { name: 'POST move (source)', send: (t) => call('POST', `/artifactory/api/move/${t}?to=/${UPLOADS}/moved`) },
];

const LONG_NAME = 'n'.repeat(256);
const LONG_PATH = `${`${'d'.repeat(200)}/`.repeat(6)}f.txt`; // 1211 characters, every name short

/** Hostile item paths (after the repository key), by family, with what the message must name. */
const HOSTILE_PATHS: { req: string; family: string; path: string; message: RegExp }[] = [
  { req: 'EDGE-IN-1', family: "'..' segment", path: 'dir/../dir/a.txt', message: /'\.\.'/ },
  { req: 'EDGE-IN-1', family: "'..' leaving the repository", path: '../../../../etc/passwd', message: /'\.\.'/ },
  { req: 'EDGE-IN-1', family: "trailing '..'", path: 'dir/sub/..', message: /'\.\.'/ },
  { req: 'EDGE-IN-1', family: "'.' segment", path: 'dir/./a.txt', message: /'\.'/ },
  { req: 'EDGE-IN-1', family: 'empty segment', path: 'dir//a.txt', message: /empty/ },
  { req: 'EDGE-IN-1', family: 'leading empty segment', path: '/dir/a.txt', message: /empty/ },
  { req: 'EDGE-IN-1', family: 'backslash', path: 'dir\\a.txt', message: /backslash/ },
  { req: 'EDGE-IN-1', family: 'backslash traversal', path: '..\\..\\etc\\passwd', message: /backslash|'\.\.'/ },
  { req: 'EDGE-IN-1', family: 'NUL %00', path: 'dir/a.txt%00.jpg', message: /%00|NUL/ },
  { req: 'EDGE-IN-1', family: 'control character %01', path: 'dir/a%01.txt', message: /control/ },
  { req: 'EDGE-IN-1', family: 'control character %1f', path: 'dir/%1f', message: /control/ },
  { req: 'EDGE-IN-1', family: 'DEL %7f', path: 'dir/a%7f.txt', message: /control/ },
  { req: 'EDGE-IN-1', family: 'name of 256 bytes', path: `dir/${LONG_NAME}`, message: /255 bytes/ },
  { req: 'EDGE-IN-1', family: 'name of 256 bytes in 128 two-byte characters', path: `dir/${'%C3%A9'.repeat(128)}`, message: /255 bytes/ },
  { req: 'EDGE-IN-2', family: 'encoded dot-dot %2e%2e', path: 'dir/%2e%2e/dir/a.txt', message: /%2e/i },
  { req: 'EDGE-IN-2', family: 'encoded dot-dot %2E%2E', path: '%2E%2E/%2E%2E/etc/passwd', message: /%2e/i },
  { req: 'EDGE-IN-2', family: 'half-encoded dot-dot .%2e', path: 'dir/.%2e/dir/a.txt', message: /%2e/i },
  { req: 'EDGE-IN-2', family: 'encoded dot %2E', path: 'dir/%2E/a.txt', message: /%2e/i },
  { req: 'EDGE-IN-2', family: 'encoded slash %2f', path: 'dir%2fa.txt', message: /%2f/i },
  { req: 'EDGE-IN-2', family: 'encoded slash %2F with traversal', path: '..%2F..%2Fetc%2Fpasswd', message: /%2f|'\.\.'/i },
  { req: 'EDGE-IN-2', family: 'encoded backslash %5c', path: 'dir%5ca.txt', message: /%5c/i },
  { req: 'EDGE-IN-2', family: 'encoded backslash %5C', path: 'dir%5Ca.txt', message: /%5c/i },
  { req: 'EDGE-IN-2', family: 'encoded NUL %00 alone', path: 'dir/%00', message: /%00|NUL/ },
  { req: 'EDGE-IN-2', family: 'malformed %zz', path: 'dir/a%zz.txt', message: /percent-encoding|could not be decoded/ },
  { req: 'EDGE-IN-2', family: 'truncated %e', path: 'dir/a%e', message: /percent-encoding|could not be decoded/ },
  { req: 'EDGE-IN-2', family: 'invalid UTF-8 %e0%80', path: 'dir/%e0%80', message: /percent-encoding|could not be decoded/ },
  { req: 'EDGE-IN-2', family: 'overlong UTF-8 dot %c0%ae%c0%ae', path: '%c0%ae%c0%ae/etc/passwd', message: /percent-encoding|could not be decoded/ },
  { req: 'EDGE-IN-4', family: 'path over 1024 characters', path: LONG_PATH, message: /1024/ },
];

const BAD_KEYS: { family: string; key: string }[] = [
  { family: "key starting with '-'", key: '-x' },
  { family: 'key with a space', key: 'a%20b' },
  { family: 'key of 65 characters', key: 'k'.repeat(65) },
  { family: "reserved key 'api'", key: 'api' },
  { family: "reserved key 'ui'", key: 'ui' },
  { family: "key starting with '.'", key: '.hidden' },
  { family: "key with ':'", key: 'a:b' },
];

describe('EDGE-IN-1, EDGE-IN-2, EDGE-IN-4: hostile item paths are refused with 400 BAD_PATH on every route', () => {
  for (const hostile of HOSTILE_PATHS) {
    describe(`${hostile.req}: ${hostile.family}`, () => {
      for (const route of ROUTES) {
        it(`${hostile.req}: ${route.name} with ${hostile.family} → 400 BAD_PATH naming the problem, nothing changes`, async () => {
          await expectRefusedUnchanged(() => route.send(`${UPLOADS}/${hostile.path}`), 400, 'BAD_PATH', hostile.message);
        });
      }
    });
  }

  it('EDGE-IN-1: a name of exactly 255 bytes is accepted (boundary)', async () => {
    await expectStatus(call('PUT', `/artifactory/${UPLOADS}/limits/${'n'.repeat(255)}`, { body: 'x' }), 201);
    await expectStatus(call('PUT', `/artifactory/${UPLOADS}/limits/${'%C3%A9'.repeat(127)}x`, { body: 'x' }), 201);
  });

  it('EDGE-IN-4: an item path of exactly 1024 characters is accepted, 1025 is refused (boundary)', async () => {
    const folders = `limits/${`${'p'.repeat(250)}/`.repeat(4)}`; // 7 + 1004 = 1011 characters
    const exact = `${folders}${'f'.repeat(1024 - folders.length)}`;
    expect(exact).toHaveLength(1024);
    await expectStatus(call('PUT', `/artifactory/${UPLOADS}/${exact}`, { body: 'x' }), 201);
    await expectRefusedUnchanged(() => call('PUT', `/artifactory/${UPLOADS}/${exact}g`, { body: 'x' }), 400, 'BAD_PATH', /1024/);
  });

  it("EDGE-IN-1: an empty repository key ('/artifactory//x') → 400 BAD_PATH", async () => {
    await expectRefusedUnchanged(() => call('PUT', '/artifactory//dir/a.txt', { body: 'x' }), 400, 'BAD_PATH', /repository key/);
  });

  const targets = [
    { name: "'..' in the target", to: `/${UPLOADS}/../escape.txt` },
    { name: 'empty segment in the target', to: `/${UPLOADS}/a//b.txt` },
    { name: 'backslash in the target', to: `/${UPLOADS}/a%5Cb.txt` },
    { name: 'NUL in the target', to: `/${UPLOADS}/a%00b.txt` },
  ];
  for (const target of targets) {
    for (const op of ['copy', 'move']) {
      it(`EDGE-IN-1: ${op} with ${target.name} → 400 BAD_PATH, nothing changes`, async () => {
        await expectRefusedUnchanged(() => call('POST', `/artifactory/api/${op}/${UPLOADS}/dir/a.txt?to=${target.to}`), 400, 'BAD_PATH', /Invalid path/);
      });
    }
  }
});

describe('EDGE-IN-3: invalid and reserved repository keys are refused with 400 BAD_REPO_KEY', () => {
  for (const bad of BAD_KEYS) {
    for (const route of ROUTES) {
      // `/artifactory/api/...` is Artifactory's REST namespace, never a repository address:
      // there it is an unknown endpoint (test/system.test.ts), refused without touching anything.
      if (bad.key === 'api' && route.underArtifactory) {
        it(`EDGE-IN-3: ${route.name} under /artifactory/api/ is an unknown endpoint, not repository 'api' → 404, nothing changes`, async () => {
          await expectRefusedUnchanged(() => route.send(`${bad.key}/dir/a.txt`), 404, 'NOT_FOUND', /Unknown API endpoint/);
        });
        continue;
      }
      it(`EDGE-IN-3: ${route.name} in a repository with ${bad.family} → 400 BAD_REPO_KEY`, async () => {
        await expectRefusedUnchanged(() => route.send(`${bad.key}/dir/a.txt`), 400, 'BAD_REPO_KEY', /[Rr]epository key/);
      });
    }
  }

  for (const key of ['api', 'ui', '-x', 'a%20b']) {
    it(`EDGE-IN-3: copy and move to a target repository '${key}' → 400 BAD_REPO_KEY, nothing changes`, async () => {
      for (const op of ['copy', 'move']) {
        await expectRefusedUnchanged(
          () => call('POST', `/artifactory/api/${op}/${UPLOADS}/dir/a.txt?to=/${key}/a.txt`),
          400,
          'BAD_REPO_KEY',
          /[Rr]epository key/,
        );
      }
    });
  }

  const creatable = [...BAD_KEYS, ...['webapp', 'list', 'repo', 'service', 'favicon.ico'].map((key) => ({ family: `reserved key '${key}'`, key }))];
  for (const bad of creatable) {
    it(`EDGE-IN-3: creating a repository with ${bad.family} → 400 BAD_REPO_KEY, nothing created`, async () => {
      await expectRefusedUnchanged(
        () => call('PUT', `/artifactory/api/repositories/${bad.key}`, { json: { rclass: 'local' } }),
        400,
        'BAD_REPO_KEY',
        /[Rr]epository key/,
      );
    });
  }

  it('EDGE-IN-3: a key of 64 characters with ., _ and - is accepted (boundary)', async () => {
    const key = `K0._-${'k'.repeat(59)}`;
    expect(key).toHaveLength(64);
    await expectStatus(call('PUT', `/artifactory/api/repositories/${key}`, { json: { rclass: 'local' } }), 200);
    await expectStatus(call('DELETE', `/artifactory/api/repositories/${key}`), 200);
  });
});

describe('EDGE-IN-5: malformed and wrong-shape JSON', () => {
  const malformed = [
    { name: 'truncated object', text: '{"rclass":' },
    { name: 'single quotes', text: "{'rclass':'local'}" },
    { name: 'trailing garbage', text: '{"rclass":"local"} x' },
    { name: 'NUL byte', text: '{"rclass":"local\u0000' },
  ];
  for (const m of malformed) {
    it(`EDGE-IN-5: repository create with ${m.name} → 400 MALFORMED_JSON, nothing created`, async () => {
      await expectRefusedUnchanged(() => sendJson('PUT', '/artifactory/api/repositories/json-repo', m.text), 400, 'MALFORMED_JSON', /JSON/);
    });
    it(`EDGE-IN-5: PATCH metadata with ${m.name} → 400 MALFORMED_JSON, nothing changes`, async () => {
      await expectRefusedUnchanged(() => sendJson('PATCH', `/artifactory/api/metadata/${UPLOADS}/dir/a.txt`, m.text), 400, 'MALFORMED_JSON', /JSON/);
    });
  }

  // A JSON label on an empty body is no body (some clients label every request): where a body is
  // required, the refusal names what is missing.
  it('EDGE-IN-5: repository create with an empty JSON-labelled body → 400 INVALID_BODY naming rclass', async () => {
    await expectRefusedUnchanged(() => sendJson('PUT', '/artifactory/api/repositories/json-repo', ''), 400, 'INVALID_BODY', /rclass/);
  });
  it('EDGE-IN-5: PATCH metadata with an empty JSON-labelled body → 400 INVALID_BODY naming props', async () => {
    await expectRefusedUnchanged(() => sendJson('PATCH', `/artifactory/api/metadata/${UPLOADS}/dir/a.txt`, ''), 400, 'INVALID_BODY', /props/);
  });

  const repoShapes = [
    { name: 'rclass as a number', body: { rclass: 5 }, field: /rclass/ },
    { name: 'unknown rclass', body: { rclass: 'cloud' }, field: /rclass/ },
    { name: 'description as a number', body: { rclass: 'local', description: 7 }, field: /description/ },
    { name: 'unknown packageType', body: { rclass: 'local', packageType: 'cobol' }, field: /packageType/ },
    { name: 'an array', body: [{ rclass: 'local' }], field: /expected object|Invalid repository configuration/ },
    { name: 'a string', body: 'local', field: /expected object|Invalid repository configuration/ },
    { name: 'a key differing from the URL', body: { key: 'other', rclass: 'local' }, field: /key/ },
    { name: 'no rclass', body: { packageType: 'generic' }, field: /rclass/ },
  ];
  for (const s of repoShapes) {
    it(`EDGE-IN-5: repository create with ${s.name} → 400 INVALID_BODY naming the field, nothing created`, async () => {
      await expectRefusedUnchanged(() => call('PUT', '/artifactory/api/repositories/json-repo', { json: s.body }), 400, 'INVALID_BODY', s.field);
    });
  }

  const patchShapes = [
    { name: 'props as a string', body: { props: 'a=1' } },
    { name: 'a property value as a number', body: { props: { a: 1 } } },
    { name: 'no props', body: { properties: { a: '1' } } },
    { name: 'an array', body: [] },
    { name: 'null', body: null },
  ];
  for (const s of patchShapes) {
    it(`EDGE-IN-5: PATCH metadata with ${s.name} → 400 INVALID_BODY naming props, nothing changes`, async () => {
      await expectRefusedUnchanged(() => call('PATCH', `/artifactory/api/metadata/${UPLOADS}/dir/a.txt`, { json: s.body }), 400, 'INVALID_BODY', /props/);
    });
  }

  const securityShapes = [
    { name: 'user with a numeric password', path: '/artifactory/api/security/users/jsonuser', body: { password: 12345678 }, field: /password/ },
    {
      name: 'user with groups as a string',
      path: '/artifactory/api/security/users/jsonuser',
      body: { password: 'long-enough', groups: 'devs' },
      field: /groups/,
    },
    {
      name: 'permission with repositories as a string',
      path: '/artifactory/api/v2/security/permissions/jsonperm',
      body: { repo: { repositories: UPLOADS } },
      field: /repositories/,
    },
    {
      name: 'permission with an unknown action',
      path: '/artifactory/api/v2/security/permissions/jsonperm',
      body: { repo: { repositories: [UPLOADS], actions: { users: { admin: ['fly'] } } } },
      field: /actions/,
    },
  ];
  for (const s of securityShapes) {
    it(`EDGE-IN-5: ${s.name} → 400 INVALID_BODY naming the field`, async () => {
      expectError(await call('PUT', s.path, { json: s.body }), 400, 'INVALID_BODY', s.field);
      expect((await call('GET', s.path)).status).toBe(404);
    });
  }
});

describe('EDGE-IN-6: bodies over their limit are refused with 413 BODY_TOO_LARGE', () => {
  it('EDGE-IN-6: JSON over maxJsonBytes on repository create → 413, nothing created', async () => {
    const text = JSON.stringify({ rclass: 'local', description: 'x'.repeat(MAX_JSON) });
    await expectRefusedUnchanged(() => sendJson('PUT', '/artifactory/api/repositories/big-json', text), 413, 'BODY_TOO_LARGE', /larger than the limit/);
  });

  it('EDGE-IN-6: JSON over maxJsonBytes on PATCH metadata → 413, nothing changes', async () => {
    const text = JSON.stringify({ props: { big: 'x'.repeat(MAX_JSON) } });
    await expectRefusedUnchanged(
      () => sendJson('PATCH', `/artifactory/api/metadata/${UPLOADS}/dir/a.txt`, text),
      413,
      'BODY_TOO_LARGE',
      /larger than the limit/,
    );
  });

  it('EDGE-IN-6: chunked JSON (no Content-Length) passing maxJsonBytes → 413, nothing created', async () => {
    const chunks = (async function* () {
      yield Buffer.from('{"rclass":"local","description":"');
      for (let i = 0; i < 8; i++) yield Buffer.from('x'.repeat(256));
      yield Buffer.from('"}');
    })();
    await expectRefusedUnchanged(
      () => call('PUT', '/artifactory/api/repositories/big-json', { headers: { 'content-type': 'application/json' }, body: chunks }),
      413,
      'BODY_TOO_LARGE',
      /larger than the limit/,
    );
  });

  it('EDGE-IN-6: JSON of exactly maxJsonBytes is accepted (boundary)', async () => {
    const prefix = JSON.stringify({ props: { fill: '' } });
    const text = JSON.stringify({ props: { fill: 'x'.repeat(MAX_JSON - prefix.length) } });
    expect(Buffer.byteLength(text)).toBe(MAX_JSON);
    await expectStatus(sendJson('PATCH', `/artifactory/api/metadata/${UPLOADS}/dir/sub/b.txt`, text), 204);
  });

  it('EDGE-IN-6: an artifact with a declared Content-Length over maxUploadBytes → 413 before the body is sent', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const before = await snapshot(edge);
    try {
      const res = await answeredWhileBodyOpen(
        raw(edge.url, 'PUT', `/artifactory/${UPLOADS}/big/declared.bin`, {
          headers: { authorization: edge.admin, 'content-length': MAX_UPLOAD + 1 },
          body: heldBody(10, 10, released),
        }),
      );
      expectNoLeak(res, 'declared-length upload');
      expectError(res, 413, 'BODY_TOO_LARGE', new RegExp(`${MAX_UPLOAD} bytes`));
    } finally {
      release();
    }
    expect(await tempFiles()).toEqual([]);
    expect(await snapshot(edge)).toEqual(before);
  });

  it('EDGE-IN-6: a chunked artifact (no Content-Length) → 413 as soon as the streamed bytes pass maxUploadBytes, no temp file remains', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const before = await snapshot(edge);
    try {
      // 1200 bytes sent, then the body is held open: the answer must not wait for its end.
      const res = await answeredWhileBodyOpen(
        raw(edge.url, 'PUT', `/artifactory/${UPLOADS}/big/chunked.bin`, { headers: { authorization: edge.admin }, body: heldBody(1200, 100, released) }),
      );
      expectNoLeak(res, 'chunked upload');
      expectError(res, 413, 'BODY_TOO_LARGE', new RegExp(`${MAX_UPLOAD} bytes`));
    } finally {
      release();
    }
    expect(await tempFiles()).toEqual([]);
    expect(await snapshot(edge)).toEqual(before);
  });

  it('EDGE-IN-6: a chunked artifact of maxUploadBytes + 1 → 413, no temp file remains', async () => {
    const body = (async function* () {
      for (let i = 0; i < 7; i++) yield Buffer.alloc(143, 0x62); // 1001 bytes
    })();
    await expectRefusedUnchanged(
      () => call('PUT', `/artifactory/${UPLOADS}/big/one-over.bin`, { body }),
      413,
      'BODY_TOO_LARGE',
      new RegExp(`${MAX_UPLOAD} bytes`),
    );
    expect(await tempFiles()).toEqual([]);
  });

  it('EDGE-IN-6: a refused upload does not replace what was stored at the same path', async () => {
    await expectStatus(call('PUT', `/artifactory/${UPLOADS}/big/kept.bin`, { body: 'original' }), 201);
    await expectRefusedUnchanged(
      () => call('PUT', `/artifactory/${UPLOADS}/big/kept.bin`, { body: Buffer.alloc(MAX_UPLOAD + 1, 0x63) }),
      413,
      'BODY_TOO_LARGE',
      new RegExp(`${MAX_UPLOAD} bytes`),
    );
    expect((await call('GET', `/artifactory/${UPLOADS}/big/kept.bin`)).text).toBe('original');
  });

  it('EDGE-IN-6: an artifact of exactly maxUploadBytes is accepted, chunked or not (boundary)', async () => {
    await expectStatus(call('PUT', `/artifactory/${UPLOADS}/big/exact.bin`, { body: Buffer.alloc(MAX_UPLOAD, 0x64) }), 201);
    const chunked = (async function* () {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(100, 0x65);
    })();
    const res = await expectStatus(call('PUT', `/artifactory/${UPLOADS}/big/exact-chunked.bin`, { body: chunked }), 201);
    expect(res.json()).toMatchObject({ size: String(MAX_UPLOAD) });
    expect(await tempFiles()).toEqual([]);
  });
});

describe('EDGE-IN-7: no client input produces a 500, a stack trace, or a path outside the data directory', () => {
  it('EDGE-IN-7: traversal attempts read nothing outside the data directory', async () => {
    for (const path of ['../../../../../../etc/passwd', '..%2f..%2f..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/%2e%2e/etc/passwd', '..\\..\\..\\etc\\passwd']) {
      for (const prefix of [`/artifactory/${UPLOADS}/`, `/artifactory/api/storage/${UPLOADS}/`, '/artifactory/']) {
        const res = await call('GET', `${prefix}${path}`);
        expect(res.status, `${prefix}${path}`).toBe(400);
        expect(res.text).not.toMatch(/root:/);
      }
    }
  });

  it('EDGE-IN-7: traversal attempts write nothing outside the data directory', async () => {
    const name = `edgeproof-escape-${process.pid}-${Date.now()}.txt`;
    const outside = [join(dirname(edge.dataDir), name), join(edge.dataDir, name), join(edge.dataDir, 'filestore', name)];
    const before = await snapshot(edge);
    for (const up of ['..', '%2e%2e', '%2E%2E', '.%2e']) {
      for (const sep of ['/', '%2f', '%5c', '\\']) {
        const traversal = Array.from({ length: 4 }, () => up).join(sep);
        const res = await call('PUT', `/artifactory/${UPLOADS}/${traversal}${sep}${name}`, { body: 'escaped' });
        expect(res.status, `${up} ${sep}`).toBe(400);
      }
    }
    for (const file of outside) expect(existsSync(file), file).toBe(false);
    expect(await snapshot(edge)).toEqual(before);
  });

  const storage = `/artifactory/api/storage/${UPLOADS}/dir/a.txt`;
  const odd: { name: string; send: () => Promise<RawResponse>; status: number; code: string; message: RegExp }[] = [
    {
      name: 'a malformed X-Checksum-Sha1',
      send: () => call('PUT', `/artifactory/${UPLOADS}/odd/c.txt`, { headers: { 'x-checksum-sha1': 'zz' }, body: 'x' }),
      status: 400,
      code: 'BAD_REQUEST',
      message: /x-checksum-sha1/i,
    },
    {
      name: 'X-Checksum of an unknown length',
      send: () => call('PUT', `/artifactory/${UPLOADS}/odd/c.txt`, { headers: { 'x-checksum': 'abc' }, body: 'x' }),
      status: 400,
      code: 'BAD_REQUEST',
      message: /x-checksum/i,
    },
    {
      name: 'deploy by checksum without a checksum',
      send: () => call('PUT', `/artifactory/${UPLOADS}/odd/c.txt`, { headers: { 'x-checksum-deploy': 'true' } }),
      status: 400,
      code: 'BAD_REQUEST',
      message: /X-Checksum/,
    },
    { name: 'an empty properties parameter', send: () => call('PUT', `${storage}?properties=`), status: 400, code: 'BAD_REQUEST', message: /properties/ },
    { name: 'a property without a value', send: () => call('PUT', `${storage}?properties=a`), status: 400, code: 'BAD_REQUEST', message: /'a'/ },
    {
      name: 'a property key with forbidden characters',
      send: () => call('PUT', `${storage}?properties=a%2Fb=1`),
      status: 400,
      code: 'BAD_REQUEST',
      message: /property key/,
    },
    {
      name: 'a matrix property with a NUL',
      send: () => call('PUT', `/artifactory/${UPLOADS}/odd/m.txt;a=%00`, { body: 'x' }),
      status: 400,
      code: 'BAD_PATH',
      message: /NUL|%00/,
    },
    {
      name: 'a matrix property with malformed encoding',
      send: () => call('PUT', `/artifactory/${UPLOADS}/odd/m.txt;a=%zz`, { body: 'x' }),
      status: 400,
      code: 'BAD_PATH',
      message: /percent-encoding|could not be decoded/,
    },
    {
      name: 'a negative depth',
      send: () => call('GET', `/artifactory/api/storage/${UPLOADS}/dir?list&deep=1&depth=-1`),
      status: 400,
      code: 'BAD_REQUEST',
      message: /depth/,
    },
    {
      name: 'a non-boolean deep flag',
      send: () => call('GET', `/artifactory/api/storage/${UPLOADS}/dir?list&deep=maybe`),
      status: 400,
      code: 'BAD_REQUEST',
      message: /deep/,
    },
    {
      name: 'an unknown repository type filter',
      send: () => call('GET', '/artifactory/api/repositories?type=cloud'),
      status: 400,
      code: 'BAD_REQUEST',
      message: /cloud/,
    },
    {
      name: 'copy without a target',
      send: () => call('POST', `/artifactory/api/copy/${UPLOADS}/dir/a.txt`),
      status: 400,
      code: 'BAD_REQUEST',
      message: /'to'/,
    },
    {
      name: 'a JSON body with __proto__',
      send: () => sendJson('PUT', '/artifactory/api/repositories/proto-repo', '{"rclass":"local","__proto__":{"admin":true}}'),
      status: 400,
      code: 'MALFORMED_JSON',
      message: /JSON/,
    },
    {
      name: 'an XML content type on a JSON endpoint',
      send: () => call('PUT', '/artifactory/api/repositories/xml-repo', { headers: { 'content-type': 'application/xml' }, body: '<repo/>' }),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: /Content-Type/,
    },
    // Repeated query parameters arrive as arrays, not strings.
    {
      name: 'a repeated properties parameter on GET storage',
      send: () => call('GET', `${storage}?properties=a&properties=b`),
      status: 400,
      code: 'BAD_REQUEST',
      message: /properties/,
    },
    {
      name: 'a repeated properties parameter on DELETE storage',
      send: () => call('DELETE', `${storage}?properties=a&properties=b`),
      status: 400,
      code: 'BAD_REQUEST',
      message: /properties/,
    },
    {
      name: 'a repeated type parameter on the repository list',
      send: () => call('GET', '/artifactory/api/repositories?type=local&type=remote'),
      status: 400,
      code: 'BAD_REQUEST',
      message: /type/,
    },
    {
      name: 'a repeated packageType parameter on the repository list',
      send: () => call('GET', '/artifactory/api/repositories?packageType=generic&packageType=npm'),
      status: 400,
      code: 'BAD_REQUEST',
      message: /packageType/,
    },
    {
      name: 'a repeated to parameter on copy',
      send: () => call('POST', `/artifactory/api/copy/${UPLOADS}/dir/a.txt?to=/${UPLOADS}/x&to=/${UPLOADS}/y`),
      status: 400,
      code: 'BAD_REQUEST',
      message: /'to'/,
    },
    // HTTP framing that the parser itself rejects still gets Artifactory's error body.
    {
      name: 'a non-numeric Content-Length',
      send: () => call('PUT', `/artifactory/${UPLOADS}/odd/cl.txt`, { headers: { 'content-length': 'abc', connection: 'close' }, body: 'x' }),
      status: 400,
      code: 'BAD_REQUEST',
      message: /./,
    },
  ];
  for (const o of odd) {
    it(`EDGE-IN-7: ${o.name} → ${o.status} ${o.code} in Artifactory's error body, nothing changes`, async () => {
      await expectRefusedUnchanged(o.send, o.status, o.code, o.message);
    });
  }
});

describe('EDGE-IN-1..4, EDGE-IN-7 (property): any path with a hostile segment is refused with 400 and changes nothing', () => {
  const clean = fc.oneof(fc.constantFrom('dir', 'a.txt', 'sub', 'b.txt'), fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,11}$/));
  const infix = fc.constantFrom('%2e', '%2E', '%2f', '%2F', '%5c', '%5C', '%00', '%01', '%1f', '%7f', '%7F', '%zz', '%e0%80', '%c0%ae', '%g1', '\\');
  const hostile = fc.oneof(
    fc.constantFrom('..', '.', '', '%2e%2e', '%2E%2E', '.%2e', '%2e.', LONG_NAME, `${'%C3%A9'.repeat(128)}`),
    fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{0,4}$/), infix, fc.stringMatching(/^[A-Za-z0-9_-]{0,4}$/)).map(([a, h, b]) => `${a}${h}${b}`),
  );
  const routeName = fc.constantFrom(...ROUTES.map((r) => r.name));
  // At least one clean segment after the hostile one, so an empty segment is never a trailing slash.
  const path = fc
    .tuple(fc.array(clean, { maxLength: 3 }), hostile, fc.array(clean, { minLength: 1, maxLength: 3 }))
    .map(([before, bad, after]) => [...before, bad, ...after].join('/'));

  it('EDGE-IN-1..4: random paths with one hostile segment → 400 BAD_PATH, snapshot unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(routeName, path, async (name, p) => {
        const route = ROUTES.find((r) => r.name === name) as (typeof ROUTES)[number];
        const before = await snapshot(edge);
        const res = await route.send(`${UPLOADS}/${p}`);
        expectError(res, 400, 'BAD_PATH', /^Invalid path/);
        expect(await snapshot(edge)).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });
});
