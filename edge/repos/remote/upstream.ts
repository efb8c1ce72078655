import { Agent, request, type Dispatcher } from 'undici';
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
 * call). undici with Basic auth from `username`/`password`; `socketTimeoutMillis` bounds the
 * connect, the wait for the head and every silence between body chunks (an idle socket, not
 * the whole transfer); redirects are never followed, so no request leaves the configured origin.
 */
export class UpstreamClient {
  readonly #agent: Agent;
  readonly #auth: Record<string, string>;

  constructor(readonly config: Pick<RemoteConfig, 'url' | 'base' | 'upstreamRepo' | 'username' | 'password' | 'socketTimeoutMillis'>) {
    const timeout = config.socketTimeoutMillis;
    this.#agent = new Agent({ connect: { timeout }, headersTimeout: timeout, bodyTimeout: timeout, keepAliveTimeout: 4_000 });
    this.#auth =
      config.username || config.password ? { authorization: `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}` } : {};
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
  async send(method: 'GET' | 'HEAD', url: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(url, { method, dispatcher: this.#agent, headers: { ...this.#auth, 'user-agent': 'edgeproof-smart-remote' }, signal });
    } catch (error) {
      throw new UpstreamFailure('connect', describe(error));
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const body = answer.body;
    return {
      status: answer.statusCode,
      headers,
      body: Object.assign(wrapBody(body), { dump: () => body.dump().catch(() => undefined), text: () => body.text() }),
    };
  }

  /** A JSON or text answer read whole (small: pings, storage info, listings, properties). */
  async read(url: string): Promise<{ status: number; text: string }> {
    const answer = await this.send('GET', url);
    try {
      return { status: answer.status, text: await answer.body.text() };
    } catch (error) {
      throw new UpstreamFailure('body', describe(error));
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** Body failures become `UpstreamFailure('body')`, whatever undici calls them. */
async function* wrapBody(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw new UpstreamFailure('body', describe(error));
  }
}

/** A short reason naming the cause (ECONNREFUSED, a timeout), never a stack. */
export function describe(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timed out';
  return code ?? err.cause?.message ?? err.message ?? 'failed';
}
