import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, snapshot, startEdge, type RunningEdge } from './edge-harness.ts';

// The helpers other tests rely on must themselves be able to see a change.
describe('test harness', () => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge();
  });
  afterAll(() => edge.close());

  it('snapshot changes when an artifact is deployed', async () => {
    const before = await snapshot(edge);
    const res = await raw(edge.url, 'PUT', '/artifactory/artifactory-edge-uploads/a.txt', { headers: { authorization: edge.admin }, body: 'x' });
    expect(res.status).toBe(201);
    expect(await snapshot(edge)).not.toEqual(before);
  });

  it('raw sends the path unnormalised', async () => {
    const res = await raw(edge.url, 'GET', '/artifactory/artifactory-edge-uploads/../x', { headers: { authorization: edge.admin } });
    expect(res.status).toBe(400);
  });
});
