import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expectRefusedUnchanged, requestIdOf, snapshot } from '../../kit/assertions.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { UNDECODABLE } from './hostile-paths.ts';
import { itemWorld } from './item-world.ts';
import { ULID } from './request-ids.ts';

/**
 * EDGE-IN-7: no client input produces a 500 or a stack trace (`t.http` checks every answer),
 * every refusal is Artifactory's error body with a stable code, a query parameter given twice
 * is 400 BAD_REQUEST, even what Node's HTTP parser refuses gets the error body, and nothing is
 * read or written outside the data directory.
 */

interface Odd {
  id: string;
  name: string;
  send(t: ScenarioContext, folder: string): Promise<RawResponse>;
  status: number;
  code: string;
  message: RegExp;
  /** A load balancer in front refuses this request itself (the cluster target's nginx). */
  proxyRefuses?: true;
}

const storage = (folder: string) => `/artifactory/api/storage/${UPLOADS}/${folder}/dir/a.txt`;
const item = (folder: string, path: string) => `/artifactory/${UPLOADS}/${folder}/${path}`;
const badRequest = (message: RegExp) => ({ status: 400, code: 'BAD_REQUEST', message });

const ODD: readonly Odd[] = [
  {
    id: 'malformed-checksum-header',
    name: 'a malformed X-Checksum-Sha1',
    send: (t, f) => t.http('PUT', item(f, 'odd/c.txt'), { headers: { 'x-checksum-sha1': 'zz' }, body: 'x' }),
    ...badRequest(/x-checksum-sha1/i),
  },
  {
    id: 'checksum-of-unknown-length',
    name: 'X-Checksum of an unknown length',
    send: (t, f) => t.http('PUT', item(f, 'odd/c.txt'), { headers: { 'x-checksum': 'abc' }, body: 'x' }),
    ...badRequest(/x-checksum/i),
  },
  {
    id: 'checksum-deploy-without-checksum',
    name: 'deploy by checksum without a checksum',
    send: (t, f) => t.http('PUT', item(f, 'odd/c.txt'), { headers: { 'x-checksum-deploy': 'true' } }),
    ...badRequest(/X-Checksum/),
  },
  {
    id: 'empty-properties-parameter',
    name: 'an empty properties parameter',
    send: (t, f) => t.http('PUT', `${storage(f)}?properties=`),
    ...badRequest(/properties/),
  },
  { id: 'property-without-value', name: 'a property without a value', send: (t, f) => t.http('PUT', `${storage(f)}?properties=a`), ...badRequest(/'a'/) },
  {
    id: 'property-key-with-forbidden-characters',
    name: 'a property key with forbidden characters',
    send: (t, f) => t.http('PUT', `${storage(f)}?properties=a%2Fb=1`),
    ...badRequest(/property key/),
  },
  {
    id: 'matrix-property-with-nul',
    name: 'a matrix property with a NUL',
    send: (t, f) => t.http('PUT', `${item(f, 'odd/m.txt')};a=%00`, { body: 'x' }),
    status: 400,
    code: 'BAD_PATH',
    message: /NUL|%00/,
    proxyRefuses: true,
  },
  {
    id: 'matrix-property-with-malformed-encoding',
    name: 'a matrix property with malformed encoding',
    send: (t, f) => t.http('PUT', `${item(f, 'odd/m.txt')};a=%zz`, { body: 'x' }),
    status: 400,
    code: 'BAD_PATH',
    message: UNDECODABLE,
    proxyRefuses: true,
  },
  {
    id: 'negative-depth',
    name: 'a negative depth',
    send: (t, f) => t.http('GET', `/artifactory/api/storage/${UPLOADS}/${f}/dir?list&deep=1&depth=-1`),
    ...badRequest(/depth/),
  },
  {
    id: 'non-boolean-deep',
    name: 'a non-boolean deep flag',
    send: (t, f) => t.http('GET', `/artifactory/api/storage/${UPLOADS}/${f}/dir?list&deep=maybe`),
    ...badRequest(/deep/),
  },
  {
    id: 'unknown-repository-type',
    name: 'an unknown repository type filter',
    send: (t) => t.http('GET', '/artifactory/api/repositories?type=cloud'),
    ...badRequest(/cloud/),
  },
  {
    id: 'copy-without-target',
    name: 'copy without a target',
    send: (t, f) => t.http('POST', `/artifactory/api/copy/${UPLOADS}/${f}/dir/a.txt`),
    ...badRequest(/'to'/),
  },
  {
    id: 'json-with-proto-key',
    name: 'a JSON body with __proto__',
    send: (t) =>
      t.http('PUT', `/artifactory/api/repositories/${t.name('proto-repo')}`, {
        headers: { 'content-type': 'application/json' },
        body: '{"rclass":"local","__proto__":{"admin":true}}',
      }),
    status: 400,
    code: 'MALFORMED_JSON',
    message: /JSON/,
  },
  {
    id: 'xml-on-a-json-endpoint',
    name: 'an XML content type on a JSON endpoint',
    send: (t) => t.http('PUT', `/artifactory/api/repositories/${t.name('xml-repo')}`, { headers: { 'content-type': 'application/xml' }, body: '<repo/>' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: /Content-Type/,
  },
  // Repeated query parameters arrive as arrays, not strings.
  {
    id: 'repeated-properties-on-get-storage',
    name: 'a repeated properties parameter on GET storage',
    send: (t, f) => t.http('GET', `${storage(f)}?properties=a&properties=b`),
    ...badRequest(/properties/),
  },
  {
    id: 'repeated-properties-on-delete-storage',
    name: 'a repeated properties parameter on DELETE storage',
    send: (t, f) => t.http('DELETE', `${storage(f)}?properties=a&properties=b`),
    ...badRequest(/properties/),
  },
  {
    id: 'repeated-type-on-repository-list',
    name: 'a repeated type parameter on the repository list',
    send: (t) => t.http('GET', '/artifactory/api/repositories?type=local&type=remote'),
    ...badRequest(/type/),
  },
  {
    id: 'repeated-package-type-on-repository-list',
    name: 'a repeated packageType parameter on the repository list',
    send: (t) => t.http('GET', '/artifactory/api/repositories?packageType=generic&packageType=npm'),
    ...badRequest(/packageType/),
  },
  {
    id: 'repeated-to-on-copy',
    name: 'a repeated to parameter on copy',
    send: (t, f) => t.http('POST', `/artifactory/api/copy/${UPLOADS}/${f}/dir/a.txt?to=/${UPLOADS}/${f}/x&to=/${UPLOADS}/${f}/y`),
    ...badRequest(/'to'/),
  },
];

const refusals = ODD.map((odd) =>
  scenario({
    id: `bad-input/${odd.id}`,
    title: `${odd.name} is refused with ${odd.status} ${odd.code} in Artifactory's error body, and nothing changes`,
    requirements: ['EDGE-IN-7'],
    ...(odd.proxyRefuses ? { needs: ['direct-requests' as const] } : {}),
    async run(t) {
      const folder = await itemWorld(t);
      await expectRefusedUnchanged(t, () => odd.send(t, folder), odd.status, odd.code, odd.message);
    },
  }),
);

export const oddRequestScenarios = [
  ...refusals,
  // HTTP framing that the parser itself rejects still gets Artifactory's error body.
  scenario({
    id: 'bad-input/request-the-http-parser-refuses',
    title:
      "a request Node's HTTP parser refuses (a non-numeric Content-Length) gets 400 BAD_REQUEST in Artifactory's error body, with a request id and Connection: close, and nothing changes",
    requirements: ['EDGE-IN-7', 'EDGE-OPS-3'],
    needs: ['direct-requests'],
    async run(t) {
      const folder = await itemWorld(t);
      const res = await expectRefusedUnchanged(
        t,
        () => t.http('PUT', item(folder, 'odd/cl.txt'), { headers: { 'content-length': 'abc', connection: 'close' }, body: 'x' }),
        400,
        'BAD_REQUEST',
        /./,
      );
      expect(res.headers.connection).toBe('close');
      expect(requestIdOf(res)).toMatch(ULID);
    },
  }),
  scenario({
    id: 'bad-input/traversal-reads-nothing-outside',
    title: 'traversal attempts on artifact, storage and bare paths are refused with 400 and read nothing outside the data directory',
    requirements: ['EDGE-IN-7', 'EDGE-IN-1', 'EDGE-IN-2'],
    async run(t) {
      for (const path of ['../../../../../../etc/passwd', '..%2f..%2f..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/%2e%2e/etc/passwd', '..\\..\\..\\etc\\passwd']) {
        for (const prefix of [`/artifactory/${UPLOADS}/`, `/artifactory/api/storage/${UPLOADS}/`, '/artifactory/']) {
          const res = await t.http('GET', `${prefix}${path}`);
          expect(res.status, `${prefix}${path}`).toBe(400);
          expect(res.text).not.toMatch(/root:/);
        }
      }
    },
  }),
  scenario({
    id: 'bad-input/traversal-writes-nothing-outside',
    title: 'traversal attempts with every spelling of dot-dot and separator are refused with 400, write nothing outside the data directory, and change nothing',
    requirements: ['EDGE-IN-7', 'EDGE-IN-1', 'EDGE-IN-2'],
    async run(t) {
      const name = `${t.name('edgeproof-escape')}.txt`;
      const dataDir = t.edge.dataDir;
      // Where an escaping write would land, on targets that show their disk.
      const outside = dataDir ? [join(dirname(dataDir), name), join(dataDir, name), join(dataDir, 'filestore', name)] : [];
      const before = await snapshot(t);
      for (const up of ['..', '%2e%2e', '%2E%2E', '.%2e']) {
        for (const sep of ['/', '%2f', '%5c', '\\']) {
          const traversal = Array.from({ length: 4 }, () => up).join(sep);
          const res = await t.http('PUT', `/artifactory/${UPLOADS}/${traversal}${sep}${name}`, { body: 'escaped' });
          expect(res.status, `${up} ${sep}`).toBe(400);
        }
      }
      for (const file of outside) expect(existsSync(file), file).toBe(false);
      expect(await snapshot(t)).toEqual(before);
    },
  }),
];
