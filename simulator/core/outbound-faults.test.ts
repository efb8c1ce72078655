import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outboundFetch } from './outbound.ts';
import { Recorder } from './recorder.ts';
import type { Outbound } from './service.ts';
import { peerServer, type PeerServer } from './__fixtures__/peer.ts';
import { chunked, patternBytes, sha256 } from '../__fixtures__/bytes.ts';
import { FaultNetworkError } from '../faults/fault-network-error.ts';
import { FaultInjector } from '../faults/injector.ts';
import type { FaultPlanInput } from '../faults/plan.ts';

type FaultInput = FaultPlanInput['rules'][number]['fault'];

// Each fault is observed from the other side: a plain node:http server on a real loopback socket.
let peer: PeerServer;
beforeEach(async () => {
  peer = await peerServer();
});
afterEach(async () => {
  await peer.close();
});

const FILE = patternBytes(5000, 3);

function callingOutWith(fault: FaultInput, recorder?: Recorder): Outbound {
  const faults = FaultInjector.fromJSON({ seed: 7, rules: [{ service: 'source', direction: 'outbound', route: '/**', fault }] });
  return outboundFetch('source', { faults, recorder });
}

/** An upload as the source simulator makes it: streamed, with length and checksum announced. */
function upload(path = '/edge-repo/file.bin', init: { signal?: AbortSignal } = {}): Request {
  return new Request(`${peer.url}${path}`, {
    method: 'PUT',
    body: chunked(FILE),
    duplex: 'half',
    headers: { 'content-length': String(FILE.byteLength), 'x-checksum-sha256': sha256(FILE) },
    ...init,
  });
}

/** A request that reaches the server after the faulted one proves the faulted one never did. */
async function expectNothingSent(): Promise<void> {
  await fetch(`${peer.url}/after`, { method: 'PUT', body: 'x' });
  expect((await peer.request(0)).path).toBe('/after');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the request should have failed'),
    (error: unknown) => error,
  );
}

describe('outbound faults seen by a real server', () => {
  it('latency holds the request back by at least ms', async () => {
    const started = performance.now();
    const response = await callingOutWith({ kind: 'latency', ms: 150 })(upload());
    expect(response.status).toBe(201);
    const seen = await peer.request(0);
    expect(seen.receivedAt - started).toBeGreaterThanOrEqual(145);
    expect(sha256(seen.body)).toBe(sha256(FILE));
  });

  it('bandwidth paces the request body', async () => {
    const started = performance.now();
    await callingOutWith({ kind: 'bandwidth', bytesPerSecond: 20_000 })(upload());
    const seen = await peer.request(0);
    expect(seen.receivedAt - started).toBeGreaterThanOrEqual(245);
    expect(seen.headers['content-length']).toBe('5000');
    expect(sha256(seen.body)).toBe(sha256(FILE));
  });

  it('reset fails the request mid-body: the server sees a premature close after afterBytes', async () => {
    const recorder = new Recorder();
    const error = await rejection(callingOutWith({ kind: 'reset', afterBytes: 1500 }, recorder)(upload()));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toBeInstanceOf(FaultNetworkError);
    const seen = await peer.request(0);
    expect(seen.complete).toBe(false);
    expect(seen.body).toEqual(Buffer.from(FILE.subarray(0, 1500)));
    await recorder.settled();
    expect(recorder.entries()[0]).toMatchObject({
      status: null,
      request: { bytes: 1500, sha256: sha256(FILE.subarray(0, 1500)), complete: false },
      error: 'fetch failed: connection reset after 1500 body bytes (fault)',
    });
  });

  it('reset of a request without a body fails it before anything is sent', async () => {
    const error = await rejection(callingOutWith({ kind: 'reset', afterBytes: 0 })(new Request(`${peer.url}/ping`)));
    expect((error as TypeError).cause).toBeInstanceOf(FaultNetworkError);
    await expectNothingSent();
  });

  it('truncate sends a well-formed but short body, without the Content-Length', async () => {
    const response = await callingOutWith({ kind: 'truncate', afterBytes: 1000 })(upload());
    expect(response.status).toBe(201);
    const seen = await peer.request(0);
    expect(seen.complete).toBe(true);
    expect(seen.headers['content-length']).toBeUndefined();
    expect(seen.body).toEqual(Buffer.from(FILE.subarray(0, 1000)));
  });

  it('corrupt flips the byte at offset (xor 255 by default) and keeps the length', async () => {
    await callingOutWith({ kind: 'corrupt', offset: 0 })(upload());
    const seen = await peer.request(0);
    expect(seen.headers['content-length']).toBe('5000');
    expect(seen.body[0]).toBe(FILE[0]! ^ 255);
    expect(seen.body.subarray(1)).toEqual(Buffer.from(FILE.subarray(1)));
  });

  it('checksum-header wrong sends a wrong request checksum; missing sends none', async () => {
    await callingOutWith({ kind: 'checksum-header', mode: 'wrong' })(upload());
    await callingOutWith({ kind: 'checksum-header', mode: 'missing' })(upload());
    const [wrong, missing] = await Promise.all([peer.request(0), peer.request(1)]);
    expect(wrong!.headers['x-checksum-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(wrong!.headers['x-checksum-sha256']).not.toBe(sha256(FILE));
    expect(missing!.headers['x-checksum-sha256']).toBeUndefined();
    expect(sha256(missing!.body)).toBe(sha256(FILE));
  });

  it('status answers the service itself; nothing reaches the server', async () => {
    const recorder = new Recorder();
    const response = await callingOutWith({ kind: 'status', status: 500, body: 'boom' }, recorder)(upload());
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('boom');
    await expectNothingSent();
    await recorder.settled();
    expect(recorder.entries()[0]).toMatchObject({ status: 500, request: { bytes: 0, complete: false }, error: null });
  });

  it('hang with ms sends nothing and fails the request after ms', async () => {
    const started = performance.now();
    const error = await rejection(callingOutWith({ kind: 'hang', ms: 200 })(upload()));
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(String((error as TypeError).cause)).toMatch(/hang: no response within 200 ms/);
    await expectNothingSent();
  });

  it('hang without ms lasts until the service aborts the request', async () => {
    const error = await rejection(callingOutWith({ kind: 'hang' })(upload('/x', { signal: AbortSignal.timeout(200) })));
    expect((error as DOMException).name).toBe('TimeoutError');
    await expectNothingSent();
  });

  it('slow-close sends every byte promptly and the end of the body ms later', async () => {
    const started = performance.now();
    await callingOutWith({ kind: 'slow-close', ms: 300 })(upload());
    const seen = await peer.request(0);
    expect(seen.receivedAt - started).toBeGreaterThanOrEqual(295);
    expect(seen.headers['content-length']).toBeUndefined();
    expect(sha256(seen.body)).toBe(sha256(FILE));
  });
});
