import { afterEach, describe, expect, it } from 'vitest';
import { listen, type Listener } from './listen.ts';
import { Recorder } from './recorder.ts';
import { clientRequest } from './__fixtures__/peer.ts';
import { patternBytes, sha256 } from '../__fixtures__/bytes.ts';
import { tinyService } from './__fixtures__/tiny-service.ts';
import { FaultInjector } from '../faults/injector.ts';
import type { FaultPlanInput } from '../faults/plan.ts';

type FaultInput = FaultPlanInput['rules'][number]['fault'];

// Each fault is observed from the other side: a plain node:http client on a real loopback socket.
let listener: Listener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function serveWith(fault: FaultInput): Promise<{ url: string; recorder: Recorder }> {
  const faults = FaultInjector.fromJSON({ seed: 7, rules: [{ service: '*', direction: 'inbound', route: '/**', fault }] });
  const recorder = new Recorder();
  listener = await listen(tinyService(), { faults, recorder });
  return { url: listener.url, recorder };
}

const FILE = patternBytes(5000);

describe('inbound faults seen by a real client', () => {
  it('latency delays the response head by at least ms, and the body is intact', async () => {
    const { url } = await serveWith({ kind: 'latency', ms: 150 });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.headAfterMs).toBeGreaterThanOrEqual(145);
    expect(seen.error).toBeNull();
    expect(sha256(seen.body)).toBe(sha256(FILE));
  });

  it('bandwidth spreads the body over bytes / bytesPerSecond', async () => {
    const { url } = await serveWith({ kind: 'bandwidth', bytesPerSecond: 20_000 });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.endAfterMs).toBeGreaterThanOrEqual(245);
    expect(sha256(seen.body)).toBe(sha256(FILE));
  });

  it('reset breaks the connection right after afterBytes body bytes', async () => {
    const { url, recorder } = await serveWith({ kind: 'reset', afterBytes: 1500 });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.status).toBe(200);
    expect(seen.error).toBe('ECONNRESET');
    expect(seen.body).toEqual(Buffer.from(FILE.subarray(0, 1500)));
    await recorder.settled();
    const [exchange] = recorder.entries();
    expect(exchange?.response).toEqual({ bytes: 1500, sha256: sha256(FILE.subarray(0, 1500)), complete: false });
    expect(exchange?.error).toBe('connection reset mid-body (fault)');
  });

  it('reset of a response without a body breaks the connection before any response', async () => {
    const { url, recorder } = await serveWith({ kind: 'reset', afterBytes: 0 });
    const seen = await clientRequest(`${url}/empty`);
    expect(seen.status).toBeNull();
    expect(seen.error).toBe('ECONNRESET');
    await recorder.settled();
    expect(recorder.entries()[0]).toMatchObject({ status: null, error: 'connection reset before the response (fault)' });
  });

  it('truncate ends the body cleanly after afterBytes, without the original Content-Length', async () => {
    const { url } = await serveWith({ kind: 'truncate', afterBytes: 1000 });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.error).toBeNull();
    expect(seen.body).toEqual(Buffer.from(FILE.subarray(0, 1000)));
    expect(seen.headers['content-length']).not.toBe('5000');
    // The checksum still names the whole file, which is how a careful client notices.
    expect(seen.headers['x-checksum-sha256']).toBe(sha256(FILE));
  });

  it('corrupt flips exactly the byte at offset and keeps the length', async () => {
    const { url } = await serveWith({ kind: 'corrupt', offset: 2049, xor: 1 });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.headers['content-length']).toBe('5000');
    const expected = Buffer.from(FILE);
    expected[2049] = expected[2049]! ^ 1;
    expect(seen.body).toEqual(expected);
    expect(sha256(seen.body)).not.toBe(seen.headers['x-checksum-sha256']);
  });

  it('checksum-header wrong replaces the value with a same-length different one', async () => {
    const { url } = await serveWith({ kind: 'checksum-header', mode: 'wrong' });
    const seen = await clientRequest(`${url}/files/5000`);
    const header = String(seen.headers['x-checksum-sha256']);
    expect(header).toMatch(/^[0-9a-f]{64}$/);
    expect(header).not.toBe(sha256(FILE));
    expect(sha256(seen.body)).toBe(sha256(FILE));
  });

  it('checksum-header missing removes the named header only', async () => {
    const { url } = await serveWith({ kind: 'checksum-header', mode: 'missing' });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.headers['x-checksum-sha256']).toBeUndefined();
    expect(seen.headers['content-length']).toBe('5000');
  });

  it('status answers with the given status and JSON body instead of the service', async () => {
    const { url } = await serveWith({ kind: 'status', status: 503, body: { errors: [{ status: 503, message: 'down' }] } });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.status).toBe(503);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body.toString())).toEqual({ errors: [{ status: 503, message: 'down' }] });
  });

  it('hang with ms sends nothing, then closes the connection', async () => {
    const { url, recorder } = await serveWith({ kind: 'hang', ms: 200 });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.status).toBeNull();
    expect(seen.error).toBe('ECONNRESET'); // node:http's "socket hang up"
    expect(seen.endAfterMs).toBeGreaterThanOrEqual(195);
    await recorder.settled();
    expect(recorder.entries()[0]).toMatchObject({ status: null, fault: { kind: 'hang', rule: 0, occurrence: 1 } });
  });

  it('hang without ms holds until the client gives up', async () => {
    const { url, recorder } = await serveWith({ kind: 'hang' });
    const seen = await clientRequest(`${url}/files/5000`, { timeoutMs: 300 });
    expect(seen.error).toBe('TIMEOUT');
    await recorder.settled();
    expect(recorder.entries()[0]).toMatchObject({ status: null, error: 'connection closed before the response' });
  });

  it('slow-close delivers the bytes promptly and delays only the end of the body', async () => {
    const { url } = await serveWith({ kind: 'slow-close', ms: 300 });
    const seen = await clientRequest(`${url}/files/5000`);
    expect(seen.headAfterMs).toBeLessThan(250);
    expect(seen.endAfterMs).toBeGreaterThanOrEqual(295);
    expect(seen.headers['content-length']).toBeUndefined();
    expect(sha256(seen.body)).toBe(sha256(FILE));
  });
});
