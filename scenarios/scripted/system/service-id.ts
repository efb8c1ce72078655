import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';

/** EDGE-SYS-1: the service id Artifactory names itself by. */

export const serviceIdScenarios = [
  scenario({
    id: 'system/service-id',
    title: 'the service id is jfrt@<ulid>',
    requirements: ['EDGE-SYS-1'],
    async run(t) {
      const res = await t.http('GET', '/artifactory/api/system/service_id');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/^jfrt@[0-9a-z]{26}$/);
    },
  }),
  scenario({
    id: 'system/service-id-survives-restart',
    title: 'the service id stays the same across a restart on the same data',
    requirements: ['EDGE-SYS-1'],
    needs: ['restart'],
    async run(t) {
      const before = (await t.http('GET', '/artifactory/api/system/service_id')).text;
      await t.step('restart the Edge', () => t.restart());
      expect((await t.http('GET', '/artifactory/api/system/service_id')).text).toBe(before);
    },
  }),
];
