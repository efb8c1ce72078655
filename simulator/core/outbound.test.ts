import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../faults/injector.ts';
import { outboundFetch } from './outbound.ts';
import { Recorder } from './recorder.ts';

// Wiring only, against a stub `base`; each fault is observed by a real server in
// simulator/faults/outbound-faults.test.ts.

function stubBase() {
  const sent: Request[] = [];
  const base = async (request: Request) => {
    sent.push(request);
    return new Response('ok');
  };
  return { sent, base };
}

const statusFor = (service: string) =>
  FaultInjector.fromJSON({
    seed: 1,
    rules: [{ service, direction: 'outbound', route: '/**', fault: { kind: 'status', status: 503 } }],
  });

describe('outboundFetch', () => {
  it('hands the very same request to base when there is nothing to apply or record', async () => {
    const { sent, base } = stubBase();
    const request = new Request('http://edge.test/api/system/ping');
    await outboundFetch('mission-control', { base })(request);
    expect(sent[0]).toBe(request);
  });

  it('applies only the rules of its own service', async () => {
    const { sent, base } = stubBase();
    const faults = statusFor('distribution');
    expect((await outboundFetch('source', { base, faults })(new Request('http://edge.test/a'))).status).toBe(200);
    expect((await outboundFetch('distribution', { base, faults })(new Request('http://edge.test/a'))).status).toBe(503);
    expect(sent).toHaveLength(1);
  });

  it('rejects with the abort reason when the service gives up during latency', async () => {
    const { sent, base } = stubBase();
    const recorder = new Recorder();
    const faults = FaultInjector.fromJSON({
      seed: 1,
      rules: [{ service: '*', direction: 'outbound', route: '/**', fault: { kind: 'latency', ms: 60_000 } }],
    });
    const request = new Request('http://edge.test/slow', { signal: AbortSignal.timeout(30) });
    await expect(outboundFetch('source', { base, faults, recorder })(request)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(sent).toHaveLength(0);
    await recorder.settled();
    expect(recorder.entries()).toMatchObject([{ status: null, fault: { kind: 'latency' }, error: expect.stringMatching(/timeout/i) }]);
  });

  it('keeps what base answered, bodies and headers included, when recording', async () => {
    const recorder = new Recorder();
    const base = async () => new Response('{"ok":true}', { status: 201, headers: { 'x-trace': 'abc' } });
    const response = await outboundFetch('source', { base, recorder })(new Request('http://edge.test/x', { method: 'POST', body: '{}' }));
    expect(response.status).toBe(201);
    expect(response.headers.get('x-trace')).toBe('abc');
    expect(await response.json()).toEqual({ ok: true });
  });
});
