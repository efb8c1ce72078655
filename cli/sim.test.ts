import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorAccessCertificatePem } from '../fixtures/keys/index.ts';
import { startEdge, type RunningEdge } from '../test/edge-harness.ts';
import { edgeproof, startCommand } from '../test/served-edge.ts';

const PORTS = ['--distribution-port', '0', '--mission-control-port', '0', '--source-port', '0', '--upstream-port', '0'];

describe('edgeproof sim', () => {
  let edge: RunningEdge;
  let work: string;
  beforeAll(async () => {
    edge = await startEdge();
    work = await mkdtemp(join(tmpdir(), 'edgeproof-sim-cli-'));
  });
  afterAll(async () => {
    await edge.close();
    await rm(work, { recursive: true, force: true });
  });

  it('--help lists ports, fault plan, seed, Edge registration and recording', async () => {
    const help = await edgeproof(['sim', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['--distribution-port', '--mission-control-port', '--source-port', '--upstream-port', '--faults', '--seed', '--edge', '--record']) {
      expect(help.stdout).toContain(text);
    }
  });

  it('starts all four services, prints what an Edge must trust, registers Edges, and records exchanges', async () => {
    const record = join(work, 'exchanges.json');
    const sim = await startCommand(['sim', ...PORTS, '--edge', edge.url, '--edge-country', 'DE', '--record', record], /Ready\./);
    try {
      const out = sim.output();
      const url = (label: string) => new RegExp(`${label}\\s+(http://127\\.0\\.0\\.1:\\d+)`).exec(out)?.[1];
      const urls = { distribution: url('distribution'), mc: url('mission control'), source: url('source'), upstream: url('upstream') };
      expect(Object.values(urls).every(Boolean), out).toBe(true);
      expect(out).toContain(simulatorAccessCertificatePem().trim());
      expect(out).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
      expect(out).toMatch(/JPD-1\s+http:\/\/127\.0\.0\.1:\d+\s+\(DE\)/);

      const admin = `Basic ${Buffer.from('admin:edgeproof-sim-password').toString('base64')}`;
      expect(await (await fetch(`${urls.mc}/mc/api/v1/system/ping`)).text()).toBe('OK');
      expect(await (await fetch(`${urls.distribution}/distribution/api/v1/system/ping`)).json()).toEqual({ status_code: 200, message: 'ok' });
      expect(await (await fetch(`${urls.source}/artifactory/api/system/ping`)).text()).toBe('OK');
      expect(await (await fetch(`${urls.upstream}/artifactory/api/system/ping`)).text()).toBe('OK');
      const jpds = (await (await fetch(`${urls.mc}/mc/api/v1/jpds`, { headers: { authorization: admin } })).json()) as {
        url: string;
        location: { country_code: string };
      }[];
      expect(jpds).toMatchObject([{ url: `${edge.url}/`, location: { country_code: 'DE' } }]);
    } finally {
      expect(await sim.stop()).toBe(0);
    }
    const recorded = JSON.parse(await readFile(record, 'utf8')) as { exchanges: { service: string; path: string }[] };
    expect(recorded.exchanges.some((e) => e.service === 'mission-control' && e.path === '/mc/api/v1/system/ping')).toBe(true);
  });

  it('refuses an invalid fault plan, naming the problem', async () => {
    const plan = join(work, 'bad-plan.json');
    await (await import('node:fs/promises')).writeFile(
      plan,
      JSON.stringify({ seed: 1, rules: [{ service: 'source', direction: 'sideways', route: '/**', fault: { kind: 'latency', ms: 1 } }] }),
    );
    const result = await edgeproof(['sim', ...PORTS, '--faults', plan]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^edgeproof: Invalid fault plan[\s\S]*rules\[0\]\.direction/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
