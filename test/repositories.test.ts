import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORIES } from '../protocol/wire/repositories.ts';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';

const API = REPOSITORIES;

describe('repositories API', () => {
  let edge: RunningEdge;
  let auth: Record<string, string>;
  const call = (method: string, path: string, body?: unknown) =>
    raw(edge.url, method, path, {
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    edge = await startEdge();
    auth = { authorization: edge.admin };
  });
  afterAll(() => edge.close());

  it('has artifactory-edge-uploads from the first start, listed JFrog-style', async () => {
    const res = await call('GET', API);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual([
      {
        key: 'artifactory-edge-uploads',
        type: 'LOCAL',
        description: 'Uploads to this Edge node',
        url: `${edge.art}/artifactory-edge-uploads`,
        packageType: 'Generic',
      },
    ]);
  });

  it('creates local repositories with defaults and returns the config with rclass', async () => {
    const created = await call('PUT', `${API}/libs-release-local`, { rclass: 'local', packageType: 'maven', description: 'releases' });
    expect(created.status).toBe(200);
    expect(created.text).toBe("Successfully created repository 'libs-release-local'");
    const config = await call('GET', `${API}/libs-release-local`);
    expect(config.json()).toMatchObject({
      key: 'libs-release-local',
      rclass: 'local',
      packageType: 'maven',
      description: 'releases',
      includesPattern: '**/*',
      excludesPattern: '',
    });
  });

  it('refuses a second create of the same key with 400', async () => {
    await call('PUT', `${API}/twice`, { rclass: 'local' });
    const again = await call('PUT', `${API}/twice`, { rclass: 'local' });
    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({ errors: [{ code: 'REPO_EXISTS' }] });
  });

  it('EDGE-AUTH-2: an unauthenticated list with an unknown ?type= gets 401, not 400', async () => {
    const anonymous = await raw(edge.url, 'GET', `${API}?type=bogus`);
    expect(anonymous.status).toBe(401);
    expect((await raw(edge.url, 'GET', `${API}?type=bogus`, { headers: auth })).status).toBe(400);
  });

  it('filters the list by type and packageType, case-insensitively', async () => {
    await call('PUT', `${API}/npm-local`, { rclass: 'local', packageType: 'npm' });
    const keys = async (query: string) => ((await call('GET', `${API}?${query}`)).json() as { key: string }[]).map((r) => r.key);
    expect(await keys('packageType=npm')).toEqual(['npm-local']);
    expect(await keys('packageType=Generic')).toContain('artifactory-edge-uploads');
    expect(await keys('type=LOCAL')).toContain('npm-local');
    expect(await keys('type=virtual')).toEqual([]);
    expect((await call('GET', `${API}?type=bogus`)).status).toBe(400);
  });

  it('updates description but not class or package type', async () => {
    await call('PUT', `${API}/upd`, { rclass: 'local' });
    expect((await call('POST', `${API}/upd`, { description: 'changed' })).status).toBe(200);
    expect((await call('GET', `${API}/upd`)).json()).toMatchObject({ description: 'changed', packageType: 'generic' });
    expect((await call('POST', `${API}/upd`, { packageType: 'npm' })).status).toBe(400);
  });

  it('refuses unknown package types, a body key that differs from the URL, and a missing rclass', async () => {
    for (const [key, body] of [
      ['p1', { rclass: 'local', packageType: 'nonsense' }],
      ['p2', { key: 'other', rclass: 'local' }],
      ['p3', { packageType: 'generic' }],
      ['p4', { rclass: 'local', description: 42 }],
    ] as const) {
      const res = await call('PUT', `${API}/${key}`, body);
      expect(res.status, key).toBe(400);
      expect(res.json()).toMatchObject({ errors: [{ code: 'INVALID_BODY' }] });
    }
    expect((await call('GET', `${API}/p1`)).status).toBe(404);
  });

  it('creating a virtual repository says clearly that it is not available yet', async () => {
    const res = await call('PUT', `${API}/virt`, { rclass: 'virtual', repositories: [] });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ errors: [{ code: 'REPO_CLASS_UNSUPPORTED' }] });
    expect((res.json() as { errors: { message: string }[] }).errors[0]?.message).toMatch(/Virtual repositories are not available/);
  });

  it('deletes a repository with its content', async () => {
    await call('PUT', `${API}/doomed`, { rclass: 'local' });
    const res = await call('DELETE', `${API}/doomed`);
    expect(res.status).toBe(200);
    expect(res.text).toBe("Repository 'doomed' and all its content have been removed successfully.");
    expect((await call('GET', `${API}/doomed`)).status).toBe(404);
    expect((await call('DELETE', `${API}/doomed`)).status).toBe(404);
  });
});
