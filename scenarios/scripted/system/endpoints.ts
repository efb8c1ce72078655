import { expectStatus } from '../../kit/assertions.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';

/** The system endpoints every Artifactory answers, as an Edge answers them (EDGE-SYS-2, EDGE-SYS-3). */

export const systemEndpointScenarios = [
  scenario({
    id: 'system/license-is-edge',
    title: 'the licence an admin reads says Edge',
    requirements: ['EDGE-SYS-2'],
    async run(t) {
      const res = await expectStatus(t.http('GET', '/artifactory/api/system/license'), 200);
      expect(res.json()).toMatchObject({ type: 'Edge' });
    },
  }),
  scenario({
    id: 'system/ping',
    title: 'ping answers OK as text, without credentials',
    requirements: ['EDGE-SYS-3'],
    async run(t) {
      const res = await expectStatus(t.http('GET', '/artifactory/api/system/ping', { auth: null }), 200);
      expect(res.text).toBe('OK');
      expect(res.headers['content-type']).toContain('text/plain');
    },
  }),
  scenario({
    id: 'system/version',
    title: 'the version answer has a 7.x version and a revision, without credentials',
    requirements: ['EDGE-SYS-3'],
    async run(t) {
      const res = await expectStatus(t.http('GET', '/artifactory/api/system/version', { auth: null }), 200);
      expect(res.json()).toMatchObject({ version: expect.stringMatching(/^7\.\d+\.\d+$/), revision: expect.any(String) });
    },
  }),
  scenario({
    id: 'system/probes',
    title: "readiness, liveness, status and the router's health answer healthy, the health naming the Edge's service id",
    requirements: ['EDGE-SYS-3'],
    async run(t) {
      for (const probe of ['/artifactory/api/v1/system/readiness', '/artifactory/api/v1/system/liveness']) {
        expect((await expectStatus(t.http('GET', probe, { auth: null }), 200)).json(), probe).toEqual({ code: 'OK' });
      }
      const status = await expectStatus(t.http('GET', '/artifactory/api/system/status', { auth: null }), 200);
      // A cluster lists all its nodes (EDGE-HA-2); the one that answered is among them, running.
      const answeredBy = status.headers['x-artifactory-node-id'];
      expect(status.json()).toMatchObject({
        nodes: expect.arrayContaining([expect.objectContaining({ id: answeredBy ?? expect.any(String), state: 'RUNNING' })]),
      });
      const serviceId = (await expectStatus(t.http('GET', '/artifactory/api/system/service_id', { auth: null }), 200)).text;
      const health = await expectStatus(t.http('GET', '/router/api/v1/system/health', { auth: null }), 200);
      expect(health.json()).toMatchObject({
        router: { state: 'HEALTHY' },
        services: expect.arrayContaining([expect.objectContaining({ service_id: serviceId })]),
      });
    },
  }),
];
