import { request as httpRequest } from 'node:http';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../faults/injector.ts';
import { listen, type Listener } from './listen.ts';
import { Recorder } from './recorder.ts';
import { clientRequest } from './__fixtures__/peer.ts';
import { patternBytes, sha256 } from '../__fixtures__/bytes.ts';
import { tinyService } from './__fixtures__/tiny-service.ts';

let listener: Listener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('listen', () => {
  it('serves the app on a loopback port of its own', async () => {
    listener = await listen(tinyService());
    expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const seen = await clientRequest(`${listener.url}/files/3000`);
    expect(seen.status).toBe(200);
    expect(sha256(seen.body)).toBe(sha256(patternBytes(3000)));
    expect((await clientRequest(`${listener.url}/nope`)).status).toBe(404);
  });

  it('streams the response: the first chunk reaches the client before the next exists', async () => {
    // If anything between the app and the socket buffered the body, the client would never see
    // the first chunk and the second would never be released: the test would time out.
    const firstArrived = deferred();
    const app = new Hono();
    app.get('/stream', () => {
      let step = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            step += 1;
            if (step === 1) controller.enqueue(new TextEncoder().encode('first;'));
            else if (step === 2) {
              await firstArrived.promise;
              controller.enqueue(new TextEncoder().encode('second'));
            } else controller.close();
          },
        }),
      );
    });
    const recorder = new Recorder();
    listener = await listen({ name: 'upstream', app }, { recorder, faults: FaultInjector.fromJSON({ seed: 1, rules: [] }) });
    const url = listener.url;
    const body = await new Promise<string>((resolve, reject) => {
      httpRequest(`${url}/stream`, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text === 'first;') firstArrived.resolve();
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toBe('first;second');
    await recorder.settled();
    expect(recorder.entries()[0]?.response).toMatchObject({ bytes: 12, complete: true });
  });

  it('streams the request: the service reads the first chunk before the client sends the next', async () => {
    const firstRead = deferred();
    const app = new Hono();
    app.put('/upload', async (c) => {
      const reader = c.req.raw.body!.getReader();
      let text = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        text += new TextDecoder().decode(next.value);
        if (text === 'first;') firstRead.resolve();
      }
      return c.text(text);
    });
    listener = await listen({ name: 'source', app }, { recorder: new Recorder() });
    const url = listener.url;
    const answer = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${url}/upload`, { method: 'PUT' }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write('first;');
      void firstRead.promise.then(() => req.end('second'));
    });
    expect(answer).toBe('first;second');
  });

  it('close() ends exchanges still held open, and they are recorded as abandoned', async () => {
    const recorder = new Recorder();
    const faults = FaultInjector.fromJSON({ seed: 1, rules: [{ service: '*', direction: 'inbound', route: '/**', fault: { kind: 'hang' } }] });
    listener = await listen(tinyService(), { faults, recorder });
    const pending = clientRequest(`${listener.url}/files/10`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await listener.close();
    listener = undefined;
    expect((await pending).error).toBe('ECONNRESET');
    await recorder.settled();
    expect(recorder.entries()).toMatchObject([{ status: null, error: 'connection closed before the response', fault: { kind: 'hang' } }]);
  });

  it('refuses a port that is taken', async () => {
    listener = await listen(tinyService());
    const port = Number(new URL(listener.url).port);
    await expect(listen(tinyService(), { port })).rejects.toThrow(/EADDRINUSE/);
  });
});
