import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';

describe('system endpoints', () => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge();
  });
  afterAll(() => edge.close());

  it('ping answers OK as text without credentials', async () => {
    const res = await raw(edge.url, 'GET', '/artifactory/api/system/ping');
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(res.headers['content-type']).toContain('text/plain');
  });

  it('version has a version string clients can read', async () => {
    const res = await raw(edge.url, 'GET', '/artifactory/api/system/version');
    expect(res.json()).toMatchObject({ version: expect.stringMatching(/^7\.\d+\.\d+$/), revision: expect.any(String) });
  });

  it('EDGE-SYS-2: license says Edge', async () => {
    const res = await raw(edge.url, 'GET', '/artifactory/api/system/license', { headers: { authorization: edge.admin } });
    expect(res.json()).toMatchObject({ type: 'Edge' });
  });

  it('readiness, liveness and router health', async () => {
    expect((await raw(edge.url, 'GET', '/artifactory/api/v1/system/readiness')).json()).toEqual({ code: 'OK' });
    const health = (await raw(edge.url, 'GET', '/router/api/v1/system/health')).json() as { router: { state: string }; services: { service_id: string }[] };
    expect(health.router.state).toBe('HEALTHY');
    expect(health.services[0]?.service_id).toBe(edge.edge.context.serviceId);
  });

  it('sends X-JFrog-Version and X-Artifactory-Id on responses', async () => {
    const res = await raw(edge.url, 'GET', '/artifactory/api/system/ping');
    expect(res.headers['x-jfrog-version']).toMatch(/^Artifactory\/7\./);
    expect(res.headers['x-artifactory-id']).toMatch(/^[0-9a-f]{40}$/);
  });

  it("unknown routes answer 404 in Artifactory's error body", async () => {
    for (const path of ['/nothing', '/artifactory/api/nothing', '/artifactory/api/nothing/deeper']) {
      const res = await raw(edge.url, 'GET', path, { headers: { authorization: edge.admin } });
      expect(res.status, path).toBe(404);
      expect(res.json()).toMatchObject({ errors: [{ status: 404, code: 'NOT_FOUND' }] });
    }
  });
});

describe('EDGE-SYS-1: service id', () => {
  it('is jfrt@<ulid> and stable across restarts of the same data directory', async () => {
    const first = await startEdge({}, {});
    const id = (await raw(first.url, 'GET', '/artifactory/api/system/service_id')).text;
    expect(id).toMatch(/^jfrt@[0-9a-z]{26}$/);
    await first.edge.close();
    const second = await startEdge({}, { dataDir: first.dataDir });
    try {
      expect((await raw(second.url, 'GET', '/artifactory/api/system/service_id')).text).toBe(id);
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});
