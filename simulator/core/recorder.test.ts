import { describe, expect, it } from 'vitest';
import { listen } from './listen.ts';
import { outboundFetch } from './outbound.ts';
import { Recorder } from './recorder.ts';
import { clientRequest, peerServer } from './__fixtures__/peer.ts';
import { chunked, patternBytes, sha256 } from '../__fixtures__/bytes.ts';
import { tinyService } from './__fixtures__/tiny-service.ts';

// The digests must be those of the real bytes: computed independently here from what was sent.

describe('Recorder', () => {
  it('records served exchanges with the SHA-256 and size of the bytes that crossed the socket', async () => {
    let clock = 1_000;
    const recorder = new Recorder({ now: () => (clock += 5) });
    const listener = await listen(tinyService(), { recorder });
    try {
      const upload = patternBytes(70_000, 1);
      const echoed = patternBytes(123_457, 2);
      await clientRequest(`${listener.url}/files/dir/a.bin?x=1`, { method: 'PUT', body: upload });
      const download = await clientRequest(`${listener.url}/files/65536`);
      const echo = await clientRequest(`${listener.url}/echo`, { method: 'POST', body: echoed });
      expect(sha256(echo.body)).toBe(sha256(echoed));
      await recorder.settled();

      const [put, get, post] = recorder.entries();
      expect(put).toMatchObject({
        service: 'upstream',
        direction: 'inbound',
        method: 'PUT',
        path: '/files/dir/a.bin',
        query: '?x=1',
        status: 201,
        request: { bytes: upload.byteLength, sha256: sha256(upload), complete: true },
        fault: null,
        error: null,
      });
      expect(get).toMatchObject({
        request: null,
        response: { bytes: 65_536, sha256: sha256(download.body), complete: true },
      });
      expect(post).toMatchObject({
        request: { bytes: echoed.byteLength, sha256: sha256(echoed), complete: true },
        response: { bytes: echoed.byteLength, sha256: sha256(echoed), complete: true },
      });
      // Timing comes from the injected clock: one tick at the start, one at the end.
      expect(put).toMatchObject({ startedAt: 1_005, durationMs: 5 });
    } finally {
      await listener.close();
    }
  });

  it('records a request body the service never read as empty and incomplete', async () => {
    const recorder = new Recorder();
    const listener = await listen(tinyService(), { recorder });
    try {
      await clientRequest(`${listener.url}/refuse/a.bin`, { method: 'PUT', body: new Uint8Array(3) });
      await recorder.settled();
      expect(recorder.entries()[0]).toMatchObject({
        status: 409,
        request: { bytes: 0, sha256: sha256(new Uint8Array(0)), complete: false },
        response: null,
      });
    } finally {
      await listener.close();
    }
  });

  it('records exchanges a service makes, both bodies digested', async () => {
    const recorder = new Recorder();
    const peer = await peerServer();
    try {
      const send = outboundFetch('distribution', { recorder });
      const bytes = patternBytes(40_000, 9);
      const response = await send(new Request(`${peer.url}/push/x.bin`, { method: 'PUT', body: chunked(bytes, 4096), duplex: 'half' }));
      const answer = await response.text();
      await recorder.settled();
      expect(recorder.entries()).toMatchObject([
        {
          service: 'distribution',
          direction: 'outbound',
          path: '/push/x.bin',
          status: 201,
          request: { bytes: 40_000, sha256: sha256(bytes), complete: true },
          response: { bytes: Buffer.byteLength(answer), sha256: sha256(new TextEncoder().encode(answer)), complete: true },
        },
      ]);
      expect(sha256((await peer.request(0)).body)).toBe(sha256(bytes));
    } finally {
      await peer.close();
    }
  });

  it('lists exchanges in the order they began, and serialises them as plain JSON', async () => {
    const recorder = new Recorder();
    const first = recorder.begin({ service: 'source', direction: 'inbound', method: 'GET', url: new URL('http://s/first') });
    const second = recorder.begin({ service: 'source', direction: 'inbound', method: 'GET', url: new URL('http://s/second') });
    second.failed(new TypeError('fetch failed', { cause: new Error('other side closed') }));
    first.responseBody(204, null);
    await recorder.settled();
    expect(recorder.entries().map((exchange) => exchange.path)).toEqual(['/first', '/second']);
    expect(recorder.entries()[1]?.error).toBe('fetch failed: other side closed');
    expect(JSON.parse(JSON.stringify(recorder))).toEqual({ exchanges: recorder.entries() });
  });
});
