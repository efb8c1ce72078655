import { accessPaths } from '../../../protocol/wire/access.ts';
import { edpPaths, TRUSTED_KEYS } from '../../../protocol/wire/edp.ts';
import { PERMISSIONS, SECURITY_USERS } from '../../../protocol/wire/security.ts';
import { baseline, expectRefusedUnchanged, valueOrStatus } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { scenario } from '../../kit/scenario.ts';
import { localRepo, permission, UPLOADS_REPO as UPLOADS, user } from '../../kit/world.ts';
import { itemWorld } from './item-world.ts';

/**
 * EDGE-IN-5: malformed JSON gets 400 MALFORMED_JSON on every endpoint that takes JSON, and
 * well-formed JSON of the wrong shape 400 INVALID_BODY naming the field; neither changes
 * anything (the item snapshot, and whatever else the endpoint writes: users, permission
 * targets, tokens, trusted keys, transactions).
 */

interface Addressed {
  method: string;
  path: string;
  /** What the request would change besides repositories and items. */
  state: () => Promise<unknown>;
}

interface JsonEndpoint {
  id: string;
  name: string;
  /** Makes what the request addresses (on a shared Edge, under this run's names). */
  address(t: ScenarioContext): Promise<Addressed>;
}

const nothingElse = async () => undefined;

export const JSON_ENDPOINTS: readonly JsonEndpoint[] = [
  {
    id: 'repository-create',
    name: 'PUT /api/repositories/{key} (create)',
    address: async (t) => ({ method: 'PUT', path: `/artifactory/api/repositories/${t.name('json-repo')}`, state: nothingElse }),
  },
  {
    id: 'repository-update',
    name: 'POST /api/repositories/{key} (update)',
    address: async (t) => ({ method: 'POST', path: `/artifactory/api/repositories/${await localRepo(t, 'json-upd')}`, state: nothingElse }),
  },
  {
    id: 'user-create',
    name: 'PUT /api/security/users/{name} (create)',
    address: async (t) => {
      const name = t.name('json-user');
      return { method: 'PUT', path: `${SECURITY_USERS}/${name}`, state: () => valueOrStatus(() => t.clients().artifactory.user(name)) };
    },
  },
  {
    id: 'user-update',
    name: 'POST /api/security/users/{name} (update)',
    address: async (t) => {
      const { name } = await user(t, 'json-user');
      return { method: 'POST', path: `${SECURITY_USERS}/${name}`, state: () => t.clients().artifactory.user(name) };
    },
  },
  {
    id: 'permission-create',
    name: 'PUT /api/v2/security/permissions/{name} (create)',
    address: async (t) => {
      const name = t.name('json-perm');
      return { method: 'PUT', path: `${PERMISSIONS}/${name}`, state: () => valueOrStatus(() => t.clients().artifactory.permission(name)) };
    },
  },
  {
    id: 'permission-replace',
    name: 'POST /api/v2/security/permissions/{name} (replace)',
    address: async (t) => {
      const name = await permission(t, 'json-perm', { repositories: [UPLOADS], users: { [t.name('ghost')]: ['read'] } });
      return { method: 'POST', path: `${PERMISSIONS}/${name}`, state: () => t.clients().artifactory.permission(name) };
    },
  },
  {
    id: 'metadata-patch',
    name: 'PATCH /api/metadata/{repo}/{path}',
    address: async (t) => ({ method: 'PATCH', path: `/artifactory/api/metadata/${UPLOADS}/${await itemWorld(t)}/dir/a.txt`, state: nothingElse }),
  },
  {
    id: 'token-create',
    name: 'POST /access/api/v1/tokens',
    address: async (t) => ({ method: 'POST', path: accessPaths.tokens, state: () => t.clients().access.tokens() }),
  },
  {
    id: 'trusted-key-add',
    name: 'POST /api/security/keys/trusted',
    address: async (t) => ({ method: 'POST', path: TRUSTED_KEYS, state: () => t.clients().edp.trustedKeys() }),
  },
  {
    id: 'transaction-start',
    name: 'POST /api/edp/v1/transactions',
    address: async (t) => ({ method: 'POST', path: edpPaths.transactions, state: () => t.clients().edp.transactions() }),
  },
];

const MALFORMED = [
  { name: 'a truncated object', text: '{"rclass":' },
  { name: 'single quotes', text: "{'rclass':'local'}" },
  { name: 'trailing garbage', text: '{"rclass":"local"} x' },
  { name: 'a NUL byte', text: '{"rclass":"local\u0000' },
];

const sendJson = (t: ScenarioContext, to: Addressed, text: string) =>
  t.http(to.method, to.path, { headers: { 'content-type': 'application/json' }, body: text });

/** Each wrong shape, sent to where `address` points; the message must name `field`. */
function wrongShapes(id: string, endpoint: JsonEndpoint, shapes: { name: string; body: unknown; field: RegExp }[]): ReturnType<typeof scenario> {
  return scenario({
    id: `bad-input/wrong-shape-${id}`,
    title: `JSON of the wrong shape on ${endpoint.name} is refused with 400 INVALID_BODY naming the field, and nothing changes`,
    requirements: ['EDGE-IN-5'],
    async run(t) {
      const to = await endpoint.address(t);
      const unchanged = await baseline(t, to.state);
      for (const shape of shapes) {
        await t.step(shape.name, () => unchanged.refused(() => t.http(to.method, to.path, { json: shape.body }), 400, 'INVALID_BODY', shape.field));
      }
    },
  });
}

const endpoint = (id: string): JsonEndpoint => {
  const found = JSON_ENDPOINTS.find((e) => e.id === id);
  if (!found) throw new Error(`no JSON endpoint ${id}`);
  return found;
};

const malformed = JSON_ENDPOINTS.map((e) =>
  scenario({
    id: `bad-input/malformed-json-${e.id}`,
    title: `malformed JSON on ${e.name} is refused with 400 MALFORMED_JSON, and nothing changes`,
    requirements: ['EDGE-IN-5'],
    async run(t) {
      const to = await e.address(t);
      const unchanged = await baseline(t, to.state);
      for (const m of MALFORMED) {
        await t.step(m.name, () => unchanged.refused(() => sendJson(t, to, m.text), 400, 'MALFORMED_JSON', /JSON/));
      }
    },
  }),
);

const ARRAY_OR_STRING = /expected object|Invalid repository configuration/;

export const jsonBodyScenarios = [
  ...malformed,
  // A JSON label on an empty body is no body (some clients label every request): where a body
  // is required, the refusal names what is missing.
  scenario({
    id: 'bad-input/empty-json-body',
    title: 'an empty JSON-labelled body where one is required is refused with 400 INVALID_BODY naming what is missing',
    requirements: ['EDGE-IN-5'],
    async run(t) {
      for (const [id, field] of [
        ['repository-create', /rclass/],
        ['metadata-patch', /props/],
      ] as const) {
        const to = await endpoint(id).address(t);
        await t.step(endpoint(id).name, () => expectRefusedUnchanged(t, () => sendJson(t, to, ''), 400, 'INVALID_BODY', field, to.state));
      }
    },
  }),
  wrongShapes('repository-create', endpoint('repository-create'), [
    { name: 'rclass as a number', body: { rclass: 5 }, field: /rclass/ },
    { name: 'an unknown rclass', body: { rclass: 'cloud' }, field: /rclass/ },
    { name: 'description as a number', body: { rclass: 'local', description: 7 }, field: /description/ },
    { name: 'an unknown packageType', body: { rclass: 'local', packageType: 'cobol' }, field: /packageType/ },
    { name: 'an array', body: [{ rclass: 'local' }], field: ARRAY_OR_STRING },
    { name: 'a string', body: 'local', field: ARRAY_OR_STRING },
    { name: 'a key differing from the URL', body: { key: 'other', rclass: 'local' }, field: /key/ },
    { name: 'no rclass', body: { packageType: 'generic' }, field: /rclass/ },
  ]),
  wrongShapes('repository-update', endpoint('repository-update'), [
    { name: 'description as a number', body: { description: 5 }, field: /description/ },
    { name: 'an array', body: [], field: ARRAY_OR_STRING },
  ]),
  wrongShapes(
    'metadata-patch',
    endpoint('metadata-patch'),
    [
      { name: 'props as a string', body: { props: 'a=1' } },
      { name: 'a property value as a number', body: { props: { a: 1 } } },
      { name: 'no props', body: { properties: { a: '1' } } },
      { name: 'an array', body: [] },
      { name: 'null', body: null },
    ].map((s) => ({ ...s, field: /props/ })),
  ),
  wrongShapes('user-create', endpoint('user-create'), [
    { name: 'a numeric password', body: { password: 12345678 }, field: /password/ },
    { name: 'groups as a string', body: { password: 'long-enough', groups: 'devs' }, field: /groups/ },
  ]),
  wrongShapes('user-update', endpoint('user-update'), [{ name: 'a numeric password', body: { password: 5 }, field: /password/ }]),
  wrongShapes('permission-create', endpoint('permission-create'), [
    { name: 'repositories as a string', body: { repo: { repositories: UPLOADS } }, field: /repositories/ },
    { name: 'an unknown action', body: { repo: { repositories: [UPLOADS], actions: { users: { admin: ['fly'] } } } }, field: /actions/ },
  ]),
  wrongShapes('permission-replace', endpoint('permission-replace'), [
    { name: 'repositories as a string', body: { repo: { repositories: UPLOADS } }, field: /repositories/ },
  ]),
  wrongShapes('token-create', endpoint('token-create'), [
    { name: 'scope as a number', body: { scope: 5 }, field: /scope/ },
    { name: 'expires_in as a string', body: { expires_in: 'soon' }, field: /expires_in/ },
  ]),
  wrongShapes('trusted-key-add', endpoint('trusted-key-add'), [
    { name: 'alias as a number', body: { alias: 5, public_key: 'x' }, field: /alias/ },
    { name: 'no key', body: { alias: 'no-key' }, field: /public_key/ },
    { name: 'an array', body: [], field: /expected object/ },
  ]),
];
