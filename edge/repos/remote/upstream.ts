import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { finished } from 'node:stream/promises';
import { encodePath } from '../../../protocol/wire/urls.ts';
import type { RemoteConfig } from './config.ts';

/** The head of an upstream answer: status and headers (lower-case names). */
export interface UpstreamHead {
  status: number;
  headers: Record<string, string>;
}

/** An upstream answer whose body is still to be read (or dumped). */
export interface UpstreamResponse extends UpstreamHead {
  body: AsyncIterable<Uint8Array> & { dump(): Promise<void>; text(): Promise<string> };
}

/**
 * Why an upstream exchange failed. `connect`: no answer at all (refused, reset, timed out before
 * the head): what makes a remote assumed offline (EDGE-SR-9). `body`: the answer broke after its
 * head. `answer`: an answer the Edge cannot use (5xx, 401, a redirect, an unparsable body).
 */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: 'connect' | 'body' | 'answer',
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamFailure';
  }
}

/**
 * The one way the Edge talks to a smart remote's upstream (docs/smart-remote.md lists every
 * call): node:http(s) with Basic auth from `username`/`password`; `socketTimeoutMillis` is the
 * socket's idle timeout, so it bounds the connect, the wait for the head and every silence
 * between body chunks, never the whole transfer; redirects are never followed, so no request
 * leaves the configured origin. (undici is not used: importing it replaces the process-wide
 * dispatcher of Node's own fetch, decision 0017.)
 */
export class UpstreamClient {
  readonly #agent: HttpAgent;
  readonly #headers: Record<string, string>;

  constructor(readonly config: Pick<RemoteConfig, 'url' | 'base' | 'upstreamRepo' | 'username' | 'password' | 'socketTimeoutMillis'>) {
    const options = { keepAlive: true, keepAliveMsecs: 1_000, maxFreeSockets: 16 };
    this.#agent = config.url.startsWith('https:') ? new HttpsAgent(options) : new HttpAgent(options);
    this.#headers = { 'user-agent': 'edgeproof-smart-remote' };
    if (config.username || config.password) {
      this.#headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
    }
  }

  /** The file's URL on the upstream (EDGE-SR-12 `remoteUrl`). */
  fileUrl(path: string): string {
    return `${this.config.url}/${encodePath(path)}`;
  }

  storageUrl(path: string, query = ''): string {
    const item = path === '' ? this.config.upstreamRepo : `${this.config.upstreamRepo}/${encodePath(path)}`;
    return `${this.config.base}/api/storage/${item}${query}`;
  }

  /** Sends one request; the caller reads or dumps the body. */
  send(method: 'GET' | 'HEAD', url: string): Promise<UpstreamResponse> {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const request = send(target, { method, agent: this.#agent, headers: this.#headers, timeout: this.config.socketTimeoutMillis }, (response) =>
        resolve(answerOf(response)),
      );
      request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      // Before the head: no answer at all. After it, the body's own stream fails.
      request.on('error', (error) => reject(new UpstreamFailure('connect', describe(error))));
      request.end();
    });
  }

  /** A JSON or text answer read whole (small: pings, storage info, listings, properties). */
  async read(url: string): Promise<{ status: number; text: string }> {
    const answer = await this.send('GET', url);
    return { status: answer.status, text: await answer.body.text() };
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }
}

function answerOf(response: IncomingMessage): UpstreamResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const chunks = wrapBody(response);
  return {
    status: response.statusCode ?? 0,
    headers,
    body: Object.assign(chunks, {
      dump: async () => {
        response.resume();
        await finished(response).catch(() => undefined);
      },
      text: async () => {
        const parts: Uint8Array[] = [];
        for await (const chunk of chunks) parts.push(chunk);
        return Buffer.concat(parts).toString('utf8');
      },
    }),
  };
}

/** Body failures (a reset, a premature close, an idle socket) become `UpstreamFailure('body')`. */
async function* wrapBody(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw new UpstreamFailure('body', describe(error));
  }
}

/** A short reason naming the cause (ECONNREFUSED, a timeout), never a stack. */
export function describe(error: unknown): string {
  const err = error as { code?: string; message?: string };
  if (err.code === 'ETIMEDOUT') return 'timed out';
  return err.code ?? err.message ?? 'failed';
}
