import { expectError } from '../../kit/assertions.ts';
import { combination } from '../../kit/combination.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';

/** EDGE-SYS-4: what every answer carries, and what answers a path the Edge does not serve. */

export const systemHeaderScenarios = [
  scenario({
    id: 'system/artifactory-headers',
    title: 'answers (refusals included) carry X-JFrog-Version and the same hex X-Artifactory-Id',
    requirements: ['EDGE-SYS-4'],
    async run(t) {
      const ids = new Set<unknown>();
      for (const [method, path, auth] of [
        ['GET', '/artifactory/api/system/ping', null],
        ['GET', '/artifactory/api/repositories', undefined],
        ['GET', '/artifactory/api/security/users', null],
        ['PUT', `/artifactory/${t.name('no-such-repo')}/f.txt`, undefined],
      ] as const) {
        await combination(t, `${method} ${path}`, async () => {
          const res = await t.http(method, path, auth === null ? { auth } : {});
          expect(res.headers['x-jfrog-version']).toMatch(/^Artifactory\/7\./);
          expect(res.headers['x-artifactory-id']).toMatch(/^[0-9a-f]{40}$/);
          ids.add(res.headers['x-artifactory-id']);
        });
      }
      expect(ids.size, 'X-Artifactory-Id differs between answers').toBe(1);
    },
  }),
  scenario({
    id: 'system/unknown-routes-404',
    title: "paths the Edge does not serve answer 404 NOT_FOUND in Artifactory's error body",
    requirements: ['EDGE-SYS-4', 'EDGE-IN-3'],
    async run(t) {
      for (const path of ['/nothing', '/artifactory/api/nothing', '/artifactory/api/nothing/deeper']) {
        await combination(t, `GET ${path}`, async () => {
          expectError(await t.http('GET', path), 404, 'NOT_FOUND', /./);
        });
      }
    },
  }),
];
