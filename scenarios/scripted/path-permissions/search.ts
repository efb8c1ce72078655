import { expectStatus } from '../../kit/assertions.ts';
import { NotApplicable } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { excludedWorld, expectNothingHidden } from './excluded-world.ts';

/**
 * EDGE-AUTH-5 for searches: an Edge that answers AQL (JFrog's Edge does; edgeproof's has no
 * search API, so there the scenario is not applicable) finds only what the caller may read.
 */

export const searchScenarios = [
  scenario({
    id: 'path-permissions/aql-finds-only-readable-items',
    title: 'an AQL search finds only the items the caller may read',
    requirements: ['EDGE-AUTH-5'],
    async run(t) {
      const { folder, dana } = await excludedWorld(t);
      const query = `items.find({"repo":"${UPLOADS}","path":{"$match":"${folder}*"}})`;
      const search = (auth: string) => t.http('POST', '/artifactory/api/search/aql', { auth, headers: { 'content-type': 'text/plain' }, body: query });
      const admin = await search(t.edge.admin);
      if (admin.status === 404) throw new NotApplicable('the Edge has no AQL search (/api/search/aql answers 404)');
      expect(admin.status, admin.text).toBe(200);
      const res = await expectStatus(search(dana.auth), 200);
      expectNothingHidden(res);
      const names = (res.json() as { results: { name: string }[] }).results.map((r) => r.name);
      expect(names).toEqual(['p.txt']);
    },
  }),
];
