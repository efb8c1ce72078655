import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { BodyTap, redactHeaders, type Exchange } from './exchanges.ts';

/**
 * One HTTP request whose path goes on the wire exactly as given: fetch would normalise `..`
 * and percent-encodings away before the Edge could refuse them. Every request a scenario sends
 * goes through here or through `recordingFetch`, so each one is recorded.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json(): unknown;
}

export interface RawOptions {
  headers?: Record<string, string | number>;
  body?: Buffer | string | AsyncIterable<Uint8Array>;
}

export type RecordExchange = (exchange: Omit<Exchange, 'seq' | 'step'>) => void;

export function raw(base: string, method: string, path: string, options: RawOptions = {}, record?: RecordExchange): Promise<RawResponse> {
  const url = new URL(base);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();
  const requestHeaders = redactHeaders(options.headers ?? {});
  const sent = new BodyTap();
  const received = new BodyTap();
  let sentAny = false;
  let settled = false;
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      record?.({
        method,
        path,
        requestHeaders,
        ...(sentAny ? { requestBody: sent.record() } : {}),
        status: 0,
        responseHeaders: {},
        durationMs: performance.now() - started,
        error: error.message,
      });
      reject(error);
    };
    const req = send({ hostname: url.hostname, port: url.port, method, path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        received.add(c);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        const status = res.statusCode ?? 0;
        record?.({
          method,
          path,
          requestHeaders,
          ...(sentAny ? { requestBody: sent.record() } : {}),
          status,
          responseHeaders: redactHeaders(res.headers),
          ...(body.byteLength > 0 ? { responseBody: received.record() } : {}),
          durationMs: performance.now() - started,
        });
        settled = true;
        resolve({ status, headers: res.headers, body, text, json: () => JSON.parse(text) });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    const body = options.body;
    const tap = (chunk: Uint8Array | string) => {
      sentAny = true;
      sent.add(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    };
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) {
      tap(body);
      req.end(body);
    } else
      (async () => {
        for await (const chunk of body) {
          // The Edge may answer from the headers and end the connection under a body still
          // being written (a refusal before the body is read): stop writing then.
          if (req.destroyed) return;
          tap(chunk);
          if (!req.write(chunk)) await drainedOrClosed(req);
        }
        req.end();
      })().catch((error: Error) => {
        // A body that fails mid-way drops the connection, as a broken network would.
        req.destroy(error);
        fail(error);
      });
  });
}

/**
 * A fetch for the typed clients that records each exchange; response bodies are tapped as the
 * client reads them, so a large download is hashed, not held.
 */
export function recordingFetch(record: RecordExchange, base: typeof fetch = fetch): (request: Request) => Promise<Response> {
  return async (request) => {
    const started = performance.now();
    const url = new URL(request.url);
    const path = `${url.pathname}${url.search}`;
    const requestHeaders = redactHeaders(Object.fromEntries(request.headers));
    let response: Response;
    try {
      response = await base(request);
    } catch (error) {
      record({
        method: request.method,
        path,
        requestHeaders,
        status: 0,
        responseHeaders: {},
        durationMs: performance.now() - started,
        error: (error as Error).message,
      });
      throw error;
    }
    const responseHeaders = redactHeaders(Object.fromEntries(response.headers));
    const done = (tap?: BodyTap) =>
      record({
        method: request.method,
        path,
        requestHeaders,
        status: response.status,
        responseHeaders,
        ...(tap ? { responseBody: tap.record() } : {}),
        durationMs: performance.now() - started,
      });
    if (!response.body) {
      done();
      return response;
    }
    const tap = new BodyTap();
    let any = false;
    const tapped = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          any = true;
          tap.add(chunk);
          controller.enqueue(chunk);
        },
        flush() {
          done(any ? tap : undefined);
        },
      }),
    );
    return new Response(tapped, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** Waits for room in the socket, or its end; removes both listeners either way (a long body waits often). */
function drainedOrClosed(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}
