import { expectError, requestIdOf } from '../../kit/assertions.ts';
import { wrongLogin } from '../../kit/credentials.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { basic, UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { itemWorld } from './item-world.ts';

/**
 * EDGE-OPS-3 as a client sees it: every answer carries `X-Request-Id`, every error entry the
 * same id as `requestId`, and the id is the caller's own when it looks like one, a new ULID
 * otherwise. (That the log lines carry it too is checked in test/access-log.test.ts.)
 */

export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const requestIdScenarios = [
  scenario({
    id: 'bad-input/error-bodies-name-their-request',
    title: 'every refusal names its request: the error entry repeats the X-Request-Id header, a new id for every request',
    requirements: ['EDGE-OPS-3', 'EDGE-IN-7'],
    async run(t) {
      const folder = await itemWorld(t);
      await t.http('PUT', `/artifactory/${UPLOADS}/${folder}/log/bytes.bin`, { body: 'a few bytes' });
      const refusals: [string, () => Promise<RawResponse>, number, string][] = [
        ['no credentials', () => t.http('GET', '/artifactory/api/repositories', { auth: null }), 401, 'UNAUTHENTICATED'],
        [
          'a wrong password',
          () => wrongLogin(t, t.edge.admin, () => t.http('GET', '/artifactory/api/repositories', { auth: basic('admin', 'wrong') })),
          401,
          'BAD_CREDENTIALS',
        ],
        // A load balancer in front answers these two itself (direct-requests).
        ...(t.can('direct-requests')
          ? ([
              ["a '..' segment", () => t.http('GET', `/artifactory/${UPLOADS}/../x`), 400, 'BAD_PATH'],
              ['an undecodable URL', () => t.http('GET', '/artifactory/%E0%A4%A'), 400, 'BAD_PATH'],
            ] as [string, () => Promise<RawResponse>, number, string][])
          : []),
        ['an unknown endpoint', () => t.http('GET', '/artifactory/api/no-such-endpoint'), 404, 'NOT_FOUND'],
        [
          'malformed JSON',
          () => t.http('PUT', `/artifactory/api/repositories/${t.name('x')}`, { headers: { 'content-type': 'application/json' }, body: '{' }),
          400,
          'MALFORMED_JSON',
        ],
        [
          'a range past the end',
          () => t.http('GET', `/artifactory/${UPLOADS}/${folder}/log/bytes.bin`, { headers: { range: 'bytes=999999-' } }),
          416,
          'BAD_RANGE',
        ],
      ];
      const ids: string[] = [];
      for (const [what, send, status, code] of refusals) {
        await t.step(what, async () => {
          const res = await send();
          expectError(res, status, code, /.+/);
          ids.push(requestIdOf(res));
        });
      }
      expect(new Set(ids).size, 'distinct request ids').toBe(refusals.length);
    },
  }),
  scenario({
    id: 'bad-input/request-id-on-every-answer',
    title: 'answers that succeed carry X-Request-Id too: a new ULID when the caller sent none',
    requirements: ['EDGE-OPS-3'],
    async run(t) {
      for (const path of ['/artifactory/api/system/ping', '/artifactory/api/repositories?type=local']) {
        const res = await t.http('GET', path);
        expect(res.status).toBe(200);
        expect(requestIdOf(res), path).toMatch(ULID);
      }
    },
  }),
  scenario({
    id: 'bad-input/request-id-kept-or-replaced',
    title: "the caller's X-Request-Id is kept when it looks like an id, and replaced by a new ULID when it does not",
    requirements: ['EDGE-OPS-3', 'EDGE-IN-7'],
    async run(t) {
      const kept = await t.http('GET', '/artifactory/api/system/ping', { headers: { 'x-request-id': 'proxy-7f3a:01/b=c' } });
      expect(kept.headers['x-request-id']).toBe('proxy-7f3a:01/b=c');
      const refused = await t.http('GET', '/artifactory/api/no-such-endpoint', { headers: { 'x-request-id': 'proxy-7f3a:02' } });
      expect((refused.json() as { errors: { requestId: string }[] }).errors[0]?.requestId).toBe('proxy-7f3a:02');
      for (const given of ['two words', 'x'.repeat(129), '"quoted"', '-leading-dash', 'tab\there']) {
        const replaced = await t.http('GET', '/artifactory/api/system/ping', { headers: { 'x-request-id': given } });
        expect(replaced.headers['x-request-id'], given).toMatch(ULID);
      }
    },
  }),
];
