import type { RouteAccess } from '../edge/index.ts';
import { fixturePublicKey } from '../fixtures/keys/index.ts';
import { accessPaths } from '../protocol/wire/access.ts';
import { EDP_BASE as EDP, RELEASE_BUNDLES as BUNDLES_API, TRUSTED_KEYS as KEYS } from '../protocol/wire/edp.ts';
import { STORAGE_API as STORAGE } from '../protocol/wire/items.ts';
import { PERMISSIONS, SECURITY_USERS as USERS } from '../protocol/wire/security.ts';
import { distribute, filePath, makeBundle, sha256 as sha256Of, type BundleFile } from './bundle-kit.ts';
import { clientsOf, type EdgeClients } from './edge-harness.ts';
import { issueToken } from './trust-fixtures.ts';
import { BUNDLE, BUNDLE_FILE, BUNDLES, PUBLIC_FILE, SECRET_FILE, UPLOADS, type Identity, type World } from './authz-world.ts';

/**
 * One or more concrete requests for every route of the Edge, keyed `METHOD url` exactly as
 * the route table has them. A route the Edge has and this table lacks fails the matrix, so a
 * new route cannot land without being tried by every identity.
 */

export interface Target {
  repo: string;
  path: string;
  folder: boolean;
}

export interface Case {
  world: World;
  who: Identity;
  /** Unique per request, so what one case creates never collides with another's. */
  n: number;
  /** What the example's setup made (ids, signed bundles). */
  vars: Record<string, string>;
}

export interface Example {
  what: string;
  path(c: Case): string;
  json?(c: Case): unknown;
  body?(c: Case): string | Buffer;
  headers?(c: Case): Record<string, string>;
  /** The status when the caller may. */
  ok: number;
  /** Runs as admin before the request: makes what the request reads, changes or removes. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a setup that makes nothing returns nothing (an async function's Promise<void>).
  setup?(c: Case): Promise<Record<string, string> | void>;
  /** Runs as admin after the request, when its effect would change what later identities may see. */
  cleanup?(c: Case): Promise<void>;
  /** Path-level declarations: the items the caller must have the right on. */
  on?: Target[];
  /** copy, move, deploy by checksum: the readable source. */
  from?: Target;
  /** copy, move: the target. */
  to?: Target;
  /** deploy: a file is already there, so delete is needed too. */
  overwrite?: boolean;
  /** The code of the refusal `ok` is, when it is not the one its status implies (the Edge's read-only refusal, say). */
  code?: string;
  /** A GET that records something the caller may see (the registry's token endpoint issues a token, as POST /access/api/v1/tokens does). */
  records?: boolean;
  /** `own` routes: whose item the request names; none for the caller's own list. */
  owner?: string;
}

const TOKENS = accessPaths.tokens;

const file = (repo: string, path: string): Target => ({ repo, path, folder: false });
const folder = (repo: string, path: string): Target => ({ repo, path, folder: true });
const up = (path: string) => file(UPLOADS, path);
const get = (what: string, path: string, ok = 200): Example => ({ what, path: () => path, ok });

async function quietly(send: Promise<unknown>): Promise<void> {
  await send.catch(() => undefined);
}

/** Setups and cleanups act as the world's admin, through the typed clients. */
const admin = (c: Case): EdgeClients => clientsOf(c.world.edge);
const deployAs = (c: Case, path: string, body: string) => admin(c).artifactory.deploy(`${UPLOADS}/${path}`, body);
/** A folder holding a file every pattern-limited identity is excluded from (`**∕*.key`). */
async function box(c: Case): Promise<void> {
  await deployAs(c, `box-${c.n}/a.txt`, `box ${c.n}`);
  await deployAs(c, `box-${c.n}/id.key`, `key ${c.n}`);
  await admin(c).artifactory.setProperties(`${UPLOADS}/box-${c.n}`, { owner: ['admin'] }, { recursive: true });
}
const removeAs = (c: Case, path: string) => quietly(admin(c).artifactory.delete(`${UPLOADS}/${path}`));

function bundleFile(c: Case): BundleFile {
  return { repoPath: `${BUNDLES}/rel/mx-${c.n}.bin`, bytes: Buffer.from(`matrix bundle file ${c.n}\n`) };
}

/** Copy or move a folder holding an excluded file: only what the caller may read goes. */
function boxTransfer(op: 'copy' | 'move'): Example {
  return {
    what: `${op} a folder holding an excluded file`,
    setup: box,
    path: (c) => `/artifactory/api/${op}/${UPLOADS}/box-${c.n}?to=/${UPLOADS}/box-${c.n}-${op}`,
    ok: 200,
    from: folder(UPLOADS, 'box-n'),
    to: folder(UPLOADS, `box-n-${op}`),
  };
}

/** Move a file deployed in `dir` (by the admin, first) to a readable place. */
function moveFile(what: string, dir: string): Example {
  return {
    what,
    setup: (c) => deployAs(c, `${dir}/mv-${c.n}.txt`, `move me ${c.n}`).then(() => undefined),
    path: (c) => `/artifactory/api/move/${UPLOADS}/${dir}/mv-${c.n}.txt?to=/${UPLOADS}/pub/moved-${c.n}.txt`,
    ok: 200,
    from: up(`${dir}/mv-n.txt`),
    to: up('pub/moved-n.txt'),
  };
}

/** Permission targets the examples create name a user that does not exist, so no identity's rights change. */
const GHOST_TARGET = { repo: { repositories: [UPLOADS], actions: { users: { ghost: ['read'] } } } };

async function openTransaction(c: Case, upload: boolean): Promise<Record<string, string>> {
  const { edp } = admin(c);
  const file = bundleFile(c);
  const { transaction, created } = await edp.start({ bundle: (await makeBundle(`mx-${c.n}`, '1.0', [file])).jws });
  if (!created) throw new Error(`start: transaction ${transaction.id} already existed`);
  if (upload) await edp.uploadFile(transaction.id, file.repoPath, file.bytes, { sha256: sha256Of(file.bytes) });
  return { id: transaction.id };
}

const probe = (path: string) => [get('probe', path)];

/** Package APIs on a repository that holds no packages of their format: absent for every caller who may read at all. */
const notAPackageRepo = (api: string) => [get(`index of a ${api} API on a generic repository`, `/artifactory/api/${api}/${UPLOADS}/simple/`, 404)];
/** An npm write: the Edge's read-only refusal, whoever asks (EDGE-PKG-5). */
const npmWrite = (what: string, withBody = true): Example[] => [
  { what, path: () => `/artifactory/api/npm/${UPLOADS}/edgeproof-published`, ...(withBody ? { json: () => ({}) } : {}), ok: 403, code: 'EDGE_READ_ONLY' },
];

/** The registry API on a repository that is not a Docker repository: absent (NAME_UNKNOWN) for every caller who may read at all. */
const notADockerRepo = (base: string): Example[] => [get('a manifest of a generic repository', `${base}/img/manifests/1.0`, 404)];
/** A Docker push: the Edge's read-only refusal (DENIED), whoever asks (EDGE-OCI-8). */
const dockerPush = (base: string, withBody = true): Example[] => [
  {
    what: 'docker push',
    path: () => `${base}/img/blobs/uploads/`,
    ...(withBody ? { body: () => 'layer', headers: () => ({ 'content-type': 'application/octet-stream' }) } : {}),
    ok: 403,
    code: 'EDGE_READ_ONLY',
  },
];
const dockerToken = (path: string): Example[] => [{ ...get('registry token', path), records: true }];

export const ROUTE_EXAMPLES: Record<string, Example[]> = {
  'GET /artifactory/api/system/ping': probe('/artifactory/api/system/ping'),
  'GET /artifactory/api/system/version': probe('/artifactory/api/system/version'),
  'GET /artifactory/api/system/service_id': probe('/artifactory/api/system/service_id'),
  'GET /artifactory/api/system/license': probe('/artifactory/api/system/license'),
  'GET /artifactory/api/system/status': probe('/artifactory/api/system/status'),
  'GET /artifactory/api/v1/system/readiness': probe('/artifactory/api/v1/system/readiness'),
  'GET /artifactory/api/v1/system/liveness': probe('/artifactory/api/v1/system/liveness'),
  'GET /router/api/v1/system/health': probe('/router/api/v1/system/health'),
  'GET /ui': [get('the web UI, redirected', '/ui', 301)],
  'GET /ui/': [get('the web UI', '/ui/')],
  'GET /ui/assets/:name': [get('a file the UI build did not make', '/ui/assets/absent.js', 404)],
  'GET /artifactory/api/edgeproof/distribution/refusals': [get('recent refused deliveries', '/artifactory/api/edgeproof/distribution/refusals')],

  'GET /artifactory/api/repositories': [get('list', '/artifactory/api/repositories')],
  'GET /artifactory/api/repositories/:key': [get('config', `/artifactory/api/repositories/${UPLOADS}`)],
  'PUT /artifactory/api/repositories/:key': [
    { what: 'create', path: (c) => `/artifactory/api/repositories/mx-repo-${c.n}`, json: () => ({ rclass: 'local' }), ok: 200 },
  ],
  'POST /artifactory/api/repositories/:key': [
    {
      what: 'update',
      setup: (c) => admin(c).artifactory.createRepository(`mx-upd-${c.n}`, { rclass: 'local' }),
      path: (c) => `/artifactory/api/repositories/mx-upd-${c.n}`,
      json: () => ({ description: 'changed by the matrix' }),
      ok: 200,
    },
  ],
  'DELETE /artifactory/api/repositories/:key': [
    {
      what: 'delete',
      setup: (c) => admin(c).artifactory.createRepository(`mx-del-${c.n}`, { rclass: 'local' }),
      path: (c) => `/artifactory/api/repositories/mx-del-${c.n}`,
      ok: 200,
    },
  ],

  'GET /artifactory/api/pypi/:repo/*': notAPackageRepo('pypi'),
  'GET /artifactory/api/npm/:repo/*': notAPackageRepo('npm'),
  'PUT /artifactory/api/npm/:repo/*': npmWrite('npm publish'),
  'POST /artifactory/api/npm/:repo/*': npmWrite('npm audit or login'),
  'DELETE /artifactory/api/npm/:repo/*': npmWrite('npm unpublish', false),

  'GET /v2/': [get('registry ping', '/v2/')],
  'GET /artifactory/api/docker/:repo/v2/': [get('registry ping', `/artifactory/api/docker/${UPLOADS}/v2/`)],
  'GET /artifactory/api/docker/v2/token': dockerToken('/artifactory/api/docker/v2/token'),
  'GET /artifactory/api/docker/:repo/v2/token': dockerToken(`/artifactory/api/docker/${UPLOADS}/v2/token?scope=repository:${UPLOADS}/img:pull`),
  'GET /v2/*': notADockerRepo(`/v2/${UPLOADS}`),
  'GET /artifactory/api/docker/:repo/v2/*': notADockerRepo(`/artifactory/api/docker/${UPLOADS}/v2`),
  ...Object.fromEntries(
    ['POST', 'PUT', 'PATCH', 'DELETE'].flatMap((method) => [
      [`${method} /v2/*`, dockerPush(`/v2/${UPLOADS}`, method !== 'DELETE')],
      [`${method} /artifactory/api/docker/:repo/v2/*`, dockerPush(`/artifactory/api/docker/${UPLOADS}/v2`, method !== 'DELETE')],
    ]),
  ),

  'GET /artifactory/api/storage/*': [
    { ...get('file info', `${STORAGE}/${UPLOADS}/${PUBLIC_FILE}`), on: [up(PUBLIC_FILE)] },
    { ...get('file info of the excluded file', `${STORAGE}/${UPLOADS}/${SECRET_FILE}`), on: [up(SECRET_FILE)] },
    { ...get('properties of the excluded file', `${STORAGE}/${UPLOADS}/${SECRET_FILE}?properties`), on: [up(SECRET_FILE)] },
    { ...get('folder info of the excluded folder', `${STORAGE}/${UPLOADS}/secret`), on: [folder(UPLOADS, 'secret')] },
    { ...get('deep list of the repository', `${STORAGE}/${UPLOADS}?list&deep=1&listFolders=1`), on: [folder(UPLOADS, '')] },
    { ...get('root info', `${STORAGE}/${UPLOADS}`), on: [folder(UPLOADS, '')] },
    { ...get('list of the bundle folder', `${STORAGE}/${BUNDLES}/rel?list`), on: [folder(BUNDLES, 'rel')] },
  ],
  'PUT /artifactory/api/storage/*': [
    { what: 'set a property', path: (c) => `${STORAGE}/${UPLOADS}/${PUBLIC_FILE}?properties=k${c.n}=v`, ok: 204, on: [up(PUBLIC_FILE)] },
    { what: 'set a property on the excluded file', path: (c) => `${STORAGE}/${UPLOADS}/${SECRET_FILE}?properties=k${c.n}=v`, ok: 204, on: [up(SECRET_FILE)] },
    {
      what: 'set a property on a folder holding an excluded file, recursively',
      setup: box,
      path: (c) => `${STORAGE}/${UPLOADS}/box-${c.n}?properties=r${c.n}=v&recursive=1`,
      ok: 204,
      on: [folder(UPLOADS, 'box-n')],
    },
  ],
  'DELETE /artifactory/api/storage/*': [
    {
      what: 'delete a property',
      setup: (c) => admin(c).artifactory.setProperties(`${UPLOADS}/${PUBLIC_FILE}`, { [`d${c.n}`]: ['x'] }),
      path: (c) => `${STORAGE}/${UPLOADS}/${PUBLIC_FILE}?properties=d${c.n}`,
      ok: 204,
      on: [up(PUBLIC_FILE)],
    },
  ],
  'PATCH /artifactory/api/metadata/*': [
    {
      what: 'patch properties',
      path: () => `/artifactory/api/metadata/${UPLOADS}/${PUBLIC_FILE}`,
      json: (c) => ({ props: { [`m${c.n}`]: 'v' } }),
      ok: 204,
      on: [up(PUBLIC_FILE)],
    },
  ],
  'POST /artifactory/api/copy/*': [
    {
      what: 'copy a readable file',
      path: (c) => `/artifactory/api/copy/${UPLOADS}/${PUBLIC_FILE}?to=/${UPLOADS}/pub/copy-${c.n}.txt`,
      ok: 200,
      from: up(PUBLIC_FILE),
      to: up('pub/copy-n.txt'),
    },
    boxTransfer('copy'),
    {
      what: 'copy the excluded folder to a readable place',
      path: (c) => `/artifactory/api/copy/${UPLOADS}/secret?to=/${UPLOADS}/pub/leak-${c.n}`,
      ok: 200,
      from: folder(UPLOADS, 'secret'),
      to: folder(UPLOADS, 'pub/leak-n'),
      cleanup: (c) => removeAs(c, `pub/leak-${c.n}`),
    },
  ],
  'POST /artifactory/api/move/*': [
    moveFile('move a readable file', 'pub'),
    boxTransfer('move'),
    moveFile('move an excluded file to a readable place', 'secret'),
  ],

  'GET /artifactory/api/security/users': [get('list', USERS)],
  'GET /artifactory/api/security/users/:name': [get('one', `${USERS}/matrix-plain`)],
  'PUT /artifactory/api/security/users/:name': [
    { what: 'create', path: (c) => `${USERS}/mx-user-${c.n}`, json: () => ({ password: 'matrix-password' }), ok: 201 },
  ],
  'POST /artifactory/api/security/users/:name': [
    {
      what: 'update',
      setup: (c) =>
        admin(c)
          .artifactory.putUser(`mx-upd-${c.n}`, { password: 'matrix-password' })
          .then(() => undefined),
      path: (c) => `${USERS}/mx-upd-${c.n}`,
      json: () => ({ email: 'changed@example.com' }),
      ok: 200,
    },
  ],
  'DELETE /artifactory/api/security/users/:name': [
    {
      what: 'delete',
      setup: (c) =>
        admin(c)
          .artifactory.putUser(`mx-del-${c.n}`, { password: 'matrix-password' })
          .then(() => undefined),
      path: (c) => `${USERS}/mx-del-${c.n}`,
      ok: 200,
    },
  ],
  'GET /artifactory/api/v2/security/permissions': [get('list', PERMISSIONS)],
  'GET /artifactory/api/v2/security/permissions/:name': [get('one', `${PERMISSIONS}/matrix-reader`)],
  'POST /artifactory/api/v2/security/permissions/:name': [{ what: 'create', path: (c) => `${PERMISSIONS}/mx-post-${c.n}`, json: () => GHOST_TARGET, ok: 201 }],
  'PUT /artifactory/api/v2/security/permissions/:name': [{ what: 'create', path: (c) => `${PERMISSIONS}/mx-put-${c.n}`, json: () => GHOST_TARGET, ok: 201 }],
  'DELETE /artifactory/api/v2/security/permissions/:name': [
    {
      what: 'delete',
      setup: (c) =>
        admin(c)
          .artifactory.putPermission(`mx-del-${c.n}`, GHOST_TARGET)
          .then(() => undefined),
      path: (c) => `${PERMISSIONS}/mx-del-${c.n}`,
      ok: 200,
    },
  ],

  'GET /access/api/v1/cert/root': [get('root certificate', '/access/api/v1/cert/root')],
  'GET /access/api/v1/cert/trusted': [get('trusted certificates', '/access/api/v1/cert/trusted')],
  'PUT /access/api/v1/cert/trusted/:alias': [
    {
      what: 'trust a certificate',
      path: (c) => `/access/api/v1/cert/trusted/mx-cert-${c.n}`,
      body: (c) => c.world.spareCertificate,
      headers: () => ({ 'content-type': 'text/plain' }),
      ok: 201,
    },
  ],
  'DELETE /access/api/v1/cert/trusted/:alias': [
    {
      what: 'stop trusting a certificate',
      setup: (c) =>
        admin(c)
          .access.trustCertificate(`mx-gone-${c.n}`, c.world.spareCertificate)
          .then(() => undefined),
      path: (c) => `/access/api/v1/cert/trusted/mx-gone-${c.n}`,
      ok: 204,
    },
  ],
  // A user asks for a token for themselves; an identity that is no user here asks for one.
  'POST /access/api/v1/tokens': [
    {
      what: 'issue',
      path: () => TOKENS,
      json: (c) => ({ username: c.who.user ?? 'matrix-plain', scope: 'applied-permissions/user', expires_in: 60 }),
      ok: 200,
    },
  ],
  'GET /access/api/v1/tokens': [get('own tokens', TOKENS)],
  'DELETE /access/api/v1/tokens/:id': [
    {
      what: "revoke the admin's token",
      setup: async (c) => ({ id: (await issueToken(c.world.edge.url, c.world.edge.admin, { expires_in: 60 })).token_id }),
      path: (c) => `${TOKENS}/${c.vars.id}`,
      ok: 200,
      owner: 'admin',
    },
  ],

  [`GET ${KEYS}`]: [get('list', KEYS)],
  [`POST ${KEYS}`]: [
    {
      what: 'trust a signing key',
      setup: (c) => quietly(admin(c).edp.removeTrustedKey(c.world.spareKeyKid)),
      path: () => KEYS,
      json: () => ({ alias: 'spare', public_key: fixturePublicKey('untrusted-signing') }),
      ok: 201,
    },
  ],
  [`DELETE ${KEYS}/:kid`]: [
    {
      what: 'stop trusting a signing key',
      setup: (c) => quietly(admin(c).edp.trustKey('spare', fixturePublicKey('untrusted-signing'))),
      path: (c) => `${KEYS}/${c.world.spareKeyKid}`,
      ok: 204,
    },
  ],

  [`POST ${EDP}/transactions`]: [
    {
      what: 'start',
      setup: async (c) => ({ jws: (await makeBundle(`mx-${c.n}`, '1.0', [bundleFile(c)])).jws }),
      path: () => `${EDP}/transactions`,
      json: (c) => ({ bundle: c.vars.jws }),
      ok: 201,
    },
  ],
  [`GET ${EDP}/transactions`]: [get('list', `${EDP}/transactions`)],
  [`GET ${EDP}/transactions/:id`]: [{ what: 'status', path: (c) => `${EDP}/transactions/${c.world.committedTx}`, ok: 200 }],
  [`POST ${EDP}/transactions/:id/commit`]: [
    { what: 'commit', setup: (c) => openTransaction(c, true), path: (c) => `${EDP}/transactions/${c.vars.id}/commit`, ok: 200 },
  ],
  [`DELETE ${EDP}/transactions/:id`]: [{ what: 'abort', setup: (c) => openTransaction(c, false), path: (c) => `${EDP}/transactions/${c.vars.id}`, ok: 204 }],
  [`PUT ${EDP}/transactions/:id/files/*`]: [
    {
      what: 'upload',
      setup: (c) => openTransaction(c, false),
      path: (c) => filePath(c.vars.id as string, bundleFile(c).repoPath),
      body: (c) => bundleFile(c).bytes,
      headers: (c) => ({ 'x-checksum-sha256': sha256Of(bundleFile(c).bytes) }),
      ok: 201,
    },
  ],

  [`GET ${BUNDLES_API}`]: [get('list', BUNDLES_API)],
  [`GET ${BUNDLES_API}/:name/:version`]: [
    { ...get('as JSON', `${BUNDLES_API}/${BUNDLE.name}/${BUNDLE.version}`), on: [file(BUNDLES, BUNDLE_FILE)] },
    { ...get('as JWS', `${BUNDLES_API}/${BUNDLE.name}/${BUNDLE.version}?format=jws`), on: [file(BUNDLES, BUNDLE_FILE)] },
  ],
  [`DELETE ${BUNDLES_API}/:name/:version`]: [
    {
      what: 'delete',
      setup: async (c) => {
        await distribute(c.world.edge, await makeBundle(`mx-${c.n}`, '1.0', [bundleFile(c)]));
      },
      path: (c) => `${BUNDLES_API}/mx-${c.n}/1.0`,
      ok: 204,
    },
  ],

  'GET /artifactory/*': [
    { ...get('a readable file', `/artifactory/${UPLOADS}/${PUBLIC_FILE}`), on: [up(PUBLIC_FILE)] },
    { ...get('the excluded file', `/artifactory/${UPLOADS}/${SECRET_FILE}`), on: [up(SECRET_FILE)] },
    { ...get("the excluded file's checksum", `/artifactory/${UPLOADS}/${SECRET_FILE}.sha256`), on: [up(SECRET_FILE)] },
    { ...get('the repository listing', `/artifactory/${UPLOADS}/`), on: [folder(UPLOADS, '')] },
    { ...get('the excluded folder listing', `/artifactory/${UPLOADS}/secret/`), on: [folder(UPLOADS, 'secret')] },
    { ...get('a released file', `/artifactory/${BUNDLES}/${BUNDLE_FILE}`), on: [file(BUNDLES, BUNDLE_FILE)] },
  ],
  'PUT /artifactory/*': [
    { what: 'deploy', path: (c) => `/artifactory/${UPLOADS}/pub/new-${c.n}.txt`, body: (c) => `new ${c.n}`, ok: 201, on: [up('pub/new-n.txt')] },
    {
      what: 'deploy into the excluded folder',
      path: (c) => `/artifactory/${UPLOADS}/secret/new-${c.n}.txt`,
      body: (c) => `new ${c.n}`,
      ok: 201,
      on: [up('secret/new-n.txt')],
    },
    { what: 'create a folder', path: (c) => `/artifactory/${UPLOADS}/pub/dir-${c.n}/`, ok: 201, on: [folder(UPLOADS, 'pub/dir-n')] },
    {
      what: 'overwrite',
      setup: (c) => deployAs(c, `pub/ow-${c.n}.txt`, 'first').then(() => undefined),
      path: (c) => `/artifactory/${UPLOADS}/pub/ow-${c.n}.txt`,
      body: () => 'second',
      ok: 201,
      on: [up('pub/ow-n.txt')],
      overwrite: true,
    },
    {
      what: "deploy by the excluded file's checksum",
      path: (c) => `/artifactory/${UPLOADS}/pub/cs-${c.n}.txt`,
      headers: (c) => ({ 'x-checksum-deploy': 'true', 'x-checksum-sha256': c.world.sensitive[0]?.values[2] as string }),
      ok: 201,
      on: [up('pub/cs-n.txt')],
      from: up(SECRET_FILE),
      cleanup: (c) => removeAs(c, `pub/cs-${c.n}.txt`),
    },
  ],
  'DELETE /artifactory/*': [
    {
      what: 'delete a file',
      setup: (c) => deployAs(c, `pub/del-${c.n}.txt`, 'x').then(() => undefined),
      path: (c) => `/artifactory/${UPLOADS}/pub/del-${c.n}.txt`,
      ok: 204,
      on: [up('pub/del-n.txt')],
    },
    {
      what: 'delete a folder holding an excluded file',
      setup: box,
      path: (c) => `/artifactory/${UPLOADS}/box-${c.n}`,
      ok: 204,
      on: [folder(UPLOADS, 'box-n')],
    },
    {
      what: 'delete an excluded file',
      setup: (c) => deployAs(c, `secret/del-${c.n}.txt`, 'x').then(() => undefined),
      path: (c) => `/artifactory/${UPLOADS}/secret/del-${c.n}.txt`,
      ok: 204,
      on: [up('secret/del-n.txt')],
    },
  ],
};

/**
 * EDGE-AUTH-7: what each route must need, pinned here by hand — not read from the route's own
 * `needs(...)`. The matrix asserts each route declares exactly this and computes every expected
 * status from it, so a route declared too permissively (an admin route turned `reader`, its
 * `requireAdmin` gone) fails the matrix instead of passing by construction.
 */
export const PINNED_ACCESS: Record<string, RouteAccess> = {
  'GET /artifactory/api/system/ping': 'public',
  'GET /artifactory/api/system/version': 'public',
  'GET /artifactory/api/system/service_id': 'public',
  'GET /artifactory/api/system/license': 'reader',
  'GET /artifactory/api/system/status': 'public',
  'GET /artifactory/api/v1/system/readiness': 'public',
  'GET /artifactory/api/v1/system/liveness': 'public',
  'GET /router/api/v1/system/health': 'public',
  'GET /ui': 'public',
  'GET /ui/': 'public',
  'GET /ui/assets/:name': 'public',
  'GET /artifactory/api/edgeproof/distribution/refusals': 'admin',

  'GET /artifactory/api/repositories': 'reader',
  'GET /artifactory/api/repositories/:key': 'admin',
  'PUT /artifactory/api/repositories/:key': 'admin',
  'POST /artifactory/api/repositories/:key': 'admin',
  'DELETE /artifactory/api/repositories/:key': 'admin',

  // EDGE-PKG-2: package indexes list only what the caller may read.
  'GET /artifactory/api/pypi/:repo/*': 'reader',
  'GET /artifactory/api/npm/:repo/*': 'reader',
  'PUT /artifactory/api/npm/:repo/*': 'reader',
  'POST /artifactory/api/npm/:repo/*': 'reader',
  'DELETE /artifactory/api/npm/:repo/*': 'reader',

  // EDGE-OCI-1: the ping and the token are for signed-in callers, even with anonymous access on.
  'GET /v2/': 'signedIn',
  'GET /artifactory/api/docker/:repo/v2/': 'signedIn',
  'GET /artifactory/api/docker/v2/token': 'signedIn',
  'GET /artifactory/api/docker/:repo/v2/token': 'signedIn',
  // EDGE-OCI-2: the registry shows only what the caller may read; EDGE-OCI-8: pushes are refused.
  ...Object.fromEntries(
    ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].flatMap((method) => [
      [`${method} /v2/*`, 'reader' as const],
      [`${method} /artifactory/api/docker/:repo/v2/*`, 'reader' as const],
    ]),
  ),

  'GET /artifactory/api/storage/*': 'read',
  'PUT /artifactory/api/storage/*': 'annotate',
  'DELETE /artifactory/api/storage/*': 'annotate',
  'PATCH /artifactory/api/metadata/*': 'annotate',
  'POST /artifactory/api/copy/*': 'copy',
  'POST /artifactory/api/move/*': 'move',

  'GET /artifactory/api/security/users': 'admin',
  'GET /artifactory/api/security/users/:name': 'admin',
  'PUT /artifactory/api/security/users/:name': 'admin',
  'POST /artifactory/api/security/users/:name': 'admin',
  'DELETE /artifactory/api/security/users/:name': 'admin',
  'GET /artifactory/api/v2/security/permissions': 'admin',
  'GET /artifactory/api/v2/security/permissions/:name': 'admin',
  'POST /artifactory/api/v2/security/permissions/:name': 'admin',
  'PUT /artifactory/api/v2/security/permissions/:name': 'admin',
  'DELETE /artifactory/api/v2/security/permissions/:name': 'admin',

  'GET /access/api/v1/cert/root': 'admin',
  'GET /access/api/v1/cert/trusted': 'admin',
  'PUT /access/api/v1/cert/trusted/:alias': 'admin',
  'DELETE /access/api/v1/cert/trusted/:alias': 'admin',
  'POST /access/api/v1/tokens': 'user',
  'GET /access/api/v1/tokens': 'own',
  'DELETE /access/api/v1/tokens/:id': 'own',

  [`GET ${KEYS}`]: 'admin',
  [`POST ${KEYS}`]: 'admin',
  [`DELETE ${KEYS}/:kid`]: 'admin',

  [`POST ${EDP}/transactions`]: 'distributor',
  [`GET ${EDP}/transactions`]: 'distributor',
  [`GET ${EDP}/transactions/:id`]: 'distributor',
  [`POST ${EDP}/transactions/:id/commit`]: 'distributor',
  [`DELETE ${EDP}/transactions/:id`]: 'distributor',
  [`PUT ${EDP}/transactions/:id/files/*`]: 'distributor',

  [`GET ${BUNDLES_API}`]: 'reader',
  [`GET ${BUNDLES_API}/:name/:version`]: 'read',
  [`DELETE ${BUNDLES_API}/:name/:version`]: 'distributor',

  'GET /artifactory/*': 'read',
  'PUT /artifactory/*': 'deploy',
  'DELETE /artifactory/*': 'delete',
};

/** The pinned access of a route; a HEAD route needs what its GET does. */
export function pinnedAccessOf(method: string, url: string): RouteAccess | undefined {
  return PINNED_ACCESS[`${method} ${url}`] ?? (method === 'HEAD' ? PINNED_ACCESS[`GET ${url}`] : undefined);
}

/** A HEAD route answers as its GET does, without the body. */
export function examplesFor(method: string, url: string): Example[] | undefined {
  return ROUTE_EXAMPLES[`${method} ${url}`] ?? (method === 'HEAD' ? ROUTE_EXAMPLES[`GET ${url}`] : undefined);
}
