import { afterEach, describe, expect, it, vi } from 'vitest';
import { plainContext } from '../core/service.ts';
import { fakeEdge } from '../__fixtures__/fake-edge.ts';
import { basic, connectionReset, router } from '../__fixtures__/fake-network.ts';
import { createMissionControl } from './index.ts';

const AUTH = basic('mc-admin', 'mc-password');
const EDGE_AUTH = basic('admin', 'edge-password');

function setup(options: { pollIntervalMs?: number } = {}) {
  const net = router();
  const edge = fakeEdge('jfrt@01edge', EDGE_AUTH);
  net.routes.set('http://edge.test', async (r) => edge.app.fetch(r));
  const mc = createMissionControl(plainContext('mission-control', { fetch: net.fetch, now: () => Date.UTC(2026, 0, 1) }), {
    adminUser: 'mc-admin',
    adminPassword: 'mc-password',
    ...options,
  });
  const call = async (method: string, path: string, body?: unknown, authorization = AUTH) => {
    const res = await mc.app.request(`/mc/api/v1${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, text, json: <T = Record<string, unknown>>() => JSON.parse(text) as T };
  };
  return { net, edge, mc, call };
}

const site = (overrides: Record<string, unknown> = {}) => ({
  name: 'us-east',
  url: 'http://edge.test',
  location: { city_name: 'New York', country_code: 'us', latitude: 40.7, longitude: -74 },
  username: 'admin',
  password: 'edge-password',
  ...overrides,
});

describe('Mission Control /mc/api/v1/jpds', () => {
  it('adds a JPD with 201, numbers it JPD-<n>, normalises url and country, and never echoes secrets', async () => {
    const { call } = setup();
    const res = await call('POST', '/jpds', site());
    expect(res.status).toBe(201);
    const jpd = res.json();
    expect(jpd).toMatchObject({
      id: 'JPD-1',
      name: 'us-east',
      url: 'http://edge.test/',
      base_url: 'http://edge.test',
      location: { city_name: 'New York', country_code: 'US' },
      licenses: [{ type: 'EDGE', expired: false }],
      status: { code: 'UNKNOWN' },
      credentials: { type: 'basic', username: 'admin' },
    });
    expect(res.text).not.toContain('edge-password');
    const token = await call('POST', '/jpds', site({ name: 'eu', url: 'http://eu.test/', username: undefined, password: undefined, token: 'secret-token' }));
    expect(token.json()).toMatchObject({ id: 'JPD-2', credentials: { type: 'token' } });
    expect(token.text).not.toContain('secret-token');
    const list = await call('GET', '/jpds');
    expect(list.json<{ id: string }[]>().map((j) => j.id)).toEqual(['JPD-1', 'JPD-2']);
    expect(list.text).not.toMatch(/edge-password|secret-token/);
  });

  it('refuses bad bodies with 400, duplicates with 409, unknown ids with 404, in the MC error shape', async () => {
    const { call } = setup();
    const cases: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [site({ name: '' }), /name/],
      [site({ url: 'ftp://x' }), /url/],
      [site({ url: 'http://x/?q=1' }), /url/],
      [site({ location: { city_name: 'X', country_code: 'USA', latitude: 0, longitude: 0 } }), /country_code/],
      [site({ location: { city_name: 'X', country_code: 'US', latitude: 91, longitude: 0 } }), /latitude/],
      [site({ username: undefined, password: undefined }), /token/],
      [site({ token: 't' }), /not both/],
      [site({ password: undefined }), /go together/],
      [site({ licenses: [] }), /licenses/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/jpds', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json<{ errors: { message: string; type: string }[] }>().errors[0]).toMatchObject({
        type: 'VALIDATION',
        message: expect.stringMatching(message),
      });
    }
    expect((await call('POST', '/jpds', site())).status).toBe(201);
    const byName = await call('POST', '/jpds', site({ name: 'US-EAST', url: 'http://other.test' }));
    expect(byName.status).toBe(409);
    expect(byName.text).toContain('Conflicts with an existing JPD');
    expect((await call('POST', '/jpds', site({ name: 'other', url: 'http://edge.test/' }))).status).toBe(409);
    expect((await call('GET', '/jpds/JPD-9')).status).toBe(404);
    expect((await call('GET', '/jpds?refresh=maybe')).status).toBe(400);
  });

  it('updates with PUT (keeping credentials unless given) and deletes with 204', async () => {
    const { call } = setup();
    await call('POST', '/jpds', site());
    const put = await call('PUT', '/jpds/JPD-1', site({ name: 'us-east-2', username: undefined, password: undefined, tags: ['prod'] }));
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ name: 'us-east-2', tags: ['prod'], credentials: { type: 'basic', username: 'admin' } });
    expect((await call('GET', '/jpds/JPD-1/authorization')).json()).toEqual({ authorization: EDGE_AUTH });
    expect((await call('DELETE', '/jpds/JPD-1')).status).toBe(204);
    expect((await call('GET', '/jpds/JPD-1')).status).toBe(404);
  });

  it('needs admin basic auth, except for ping', async () => {
    const { mc, call } = setup();
    expect((await call('GET', '/jpds', undefined, basic('mc-admin', 'wrong'))).status).toBe(401);
    const ping = await mc.app.request('/mc/api/v1/system/ping');
    expect(ping.status).toBe(200);
    expect(await ping.text()).toBe('OK');
  });
});

describe('Mission Control health checks', () => {
  afterEach(() => vi.useRealTimers());

  it('reports ONLINE with the site service id, UNAUTHORIZED on 401, OFFLINE without an answer', async () => {
    const { call, net } = setup();
    await call('POST', '/jpds', site());
    await call('POST', '/jpds', site({ name: 'wrong-creds', url: 'http://edge.test/other/', password: 'nope' }));
    await call('POST', '/jpds', site({ name: 'down', url: 'http://down.test' }));

    const online = await call('POST', '/jpds/JPD-1/health');
    expect(online.json()).toMatchObject({
      status: { code: 'ONLINE', http_status: 200, checked_at: '2026-01-01T00:00:00.000Z' },
      services: [{ type: 'ARTIFACTORY', service_id: 'jfrt@01edge', status: { code: 'ONLINE' } }],
    });
    expect(net.calls).toContain('GET http://edge.test/artifactory/api/system/ping');

    const list = (await call('GET', '/jpds?refresh=true')).json<{ name: string; status: { code: string; http_status: number | null; message: string } }[]>();
    expect(list.find((j) => j.name === 'wrong-creds')?.status).toMatchObject({
      code: 'UNAUTHORIZED',
      http_status: 401,
      message: 'Ping answered 401: Bad credentials',
    });
    expect(list.find((j) => j.name === 'down')?.status).toMatchObject({ code: 'OFFLINE', http_status: null, message: expect.stringContaining('ECONNRESET') });
  });

  it('reports OFFLINE with the status a failing site answered', async () => {
    const { call, net } = setup();
    await call('POST', '/jpds', site());
    net.faults.push(() => new Response('maintenance', { status: 503 }));
    expect((await call('POST', '/jpds/JPD-1/health')).json()).toMatchObject({
      status: { code: 'OFFLINE', http_status: 503, message: 'Ping answered 503: maintenance' },
    });
  });

  it('polls every site periodically when pollIntervalMs is set', async () => {
    vi.useFakeTimers();
    const { call, mc, net } = setup({ pollIntervalMs: 60_000 });
    await call('POST', '/jpds', site());
    expect(mc.state.jpds.get('JPD-1')?.status.code).toBe('UNKNOWN');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mc.state.jpds.get('JPD-1')?.status.code).toBe('ONLINE');
    mc.close();
    net.faults.push(() => connectionReset());
    await vi.advanceTimersByTimeAsync(120_000);
    expect(mc.state.jpds.get('JPD-1')?.status.code).toBe('ONLINE');
  });
});
