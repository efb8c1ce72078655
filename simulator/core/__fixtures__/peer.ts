import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a real HTTP client saw of one exchange, including how it broke. */
export interface ClientView {
  readonly status: number | null;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The error code the client got (`ECONNRESET`, …), or null when the response completed. */
  readonly error: string | null;
  /** Milliseconds until the response head arrived, and until the exchange ended. */
  readonly headAfterMs: number | null;
  readonly endAfterMs: number;
}

/**
 * A plain node:http client (no keep-alive, no retries), so every fault is seen exactly as the
 * socket delivered it.
 */
export function clientRequest(
  url: string,
  options: { method?: string; body?: Uint8Array; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ClientView> {
  const started = performance.now();
  return new Promise((resolve) => {
    let status: number | null = null;
    let headers: IncomingHttpHeaders = {};
    let headAfterMs: number | null = null;
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ status, headers, body: Buffer.concat(chunks), error, headAfterMs, endAfterMs: performance.now() - started });
    };
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      status = res.statusCode ?? null;
      headers = res.headers;
      headAfterMs = performance.now() - started;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish(null));
      res.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
      res.on('close', () => finish(res.complete ? null : 'incomplete'));
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => {
        finish('TIMEOUT');
        req.destroy();
      });
    }
    req.end(options.body);
  });
}

/** What a real HTTP server received of one request. */
export interface ServerView {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The request body ended properly; false when the client broke off mid-body. */
  readonly complete: boolean;
  readonly receivedAt: number;
}

export interface PeerServer {
  readonly url: string;
  /** The `index`-th request (0-based), once its body ended or broke off; waits for it to arrive. */
  request(index: number): Promise<ServerView>;
  close(): Promise<void>;
}

/** A plain node:http server that answers 201 with what it read, and remembers each request. */
export async function peerServer(): Promise<PeerServer> {
  const views: { promise: Promise<ServerView>; resolve: (view: ServerView) => void }[] = [];
  let arrived = 0;
  const slot = (index: number) => {
    while (views.length <= index) {
      let resolve: (view: ServerView) => void = () => undefined;
      const promise = new Promise<ServerView>((r) => {
        resolve = r;
      });
      views.push({ promise, resolve });
    }
    return views[index]!;
  };
  const server = createServer((req, res) => {
    const { resolve } = slot(arrived++);
    const chunks: Buffer[] = [];
    const done = (complete: boolean) =>
      resolve({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        complete,
        receivedAt: performance.now(),
      });
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      done(true);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ bytes: Buffer.concat(chunks).byteLength }));
    });
    req.on('error', () => done(false));
    req.on('close', () => done(req.complete));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    request: (index) => slot(index).promise,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
