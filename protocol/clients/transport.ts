import type { z } from 'zod';
import { parseErrorBody, type PeerErrorEntry } from '../errors.ts';
import { serverRoot } from '../wire/urls.ts';

/**
 * What the typed clients share: one request over an injectable `fetch`, and three errors that
 * keep apart "the server said no" (`ApiError`), "the server said yes in a shape the API does not
 * define" (`UnexpectedAnswerError`) and "no complete answer came" (`NoAnswerError`).
 */

/** Sends one request; global fetch by default. Simulators pass `SimContext.fetch`, so faults apply. */
export type Fetch = (request: Request) => Promise<Response>;

export type Credentials = { user: string; password: string } | { token: string } | { authorization: string };

export interface ClientOptions {
  /** The server, `http://host:port`; a trailing `/artifactory` is accepted. */
  url: string;
  credentials?: Credentials;
  fetch?: Fetch;
}

/** Per call: abort it, or add headers. */
export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** A request body; streams and async iterables are sent as they are read, never buffered. */
export type Body = string | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface Call extends CallOptions {
  method: string;
  /** From the server root, query included when the caller built it. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  body?: Body;
}

/** Which call failed: `path` is from the server root (what logs and step names show), `url` the whole of it. */
export interface CallSite {
  method: string;
  path: string;
  url: string;
}

export class ClientError extends Error {
  readonly method: string;
  readonly path: string;
  readonly url: string;

  constructor(site: CallSite, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.method = site.method;
    this.path = site.path;
    this.url = site.url;
  }
}

/** The server answered with a status the call does not expect; `errors` is its error body, when it sent one. */
export class ApiError extends ClientError {
  readonly code: string | undefined;

  constructor(
    site: CallSite,
    readonly status: number,
    readonly errors: PeerErrorEntry[] | undefined,
    readonly text: string,
  ) {
    const first = errors?.[0];
    super(site, `${site.method} ${site.path} answered ${status}${first?.code ? ` ${first.code}` : ''}: ${first?.message ?? summary(text)}`);
    this.code = first?.code;
  }
}

/** No complete answer: refused, reset, aborted, or cut off mid-body (then `status` is the one that came). */
export class NoAnswerError extends ClientError {
  constructor(
    site: CallSite,
    readonly status: number | undefined,
    cause: unknown,
  ) {
    super(site, `${status === undefined ? 'no answer' : 'the answer was cut off'}: ${describeCause(cause)}`, { cause });
  }
}

/** A success status with a body that is not the shape the API defines. */
export class UnexpectedAnswerError extends ClientError {
  constructor(
    site: CallSite,
    readonly status: number,
    readonly text: string,
  ) {
    super(site, `${site.method} ${site.path} answered ${status} in an unexpected shape: ${summary(text)}`);
  }
}

export class Transport {
  readonly root: string;
  readonly #authorization: string | undefined;
  readonly #fetch: Fetch;

  constructor(options: ClientOptions) {
    this.root = serverRoot(options.url);
    this.#authorization = options.credentials && authorizationOf(options.credentials);
    this.#fetch = options.fetch ?? ((request) => fetch(request));
  }

  /** The response as it came, body unread (downloads stream it); `NoAnswerError` when none came. */
  async send(call: Call): Promise<Response> {
    const request = this.#request(call);
    try {
      return await this.#fetch(request);
    } catch (error) {
      throw new NoAnswerError(this.#site(call), undefined, error);
    }
  }

  /** Any status, with the whole body as text: for callers that judge every answer themselves. */
  async answer(call: Call): Promise<{ status: number; headers: Headers; text: string }> {
    const response = await this.send(call);
    return { status: response.status, headers: response.headers, text: await this.#read(call, response) };
  }

  /** The response when its status is one of `ok`; otherwise its body becomes an `ApiError`. */
  async expect(call: Call, ok: readonly number[]): Promise<Response> {
    const response = await this.send(call);
    if (ok.includes(response.status)) return response;
    const text = await this.#read(call, response);
    throw new ApiError(this.#site(call), response.status, parseErrorBody(text), text);
  }

  /** The whole body as text, after `expect`. */
  async text(call: Call, ok: readonly number[] = [200]): Promise<{ status: number; text: string }> {
    const response = await this.expect(call, ok);
    return { status: response.status, text: await this.#read(call, response) };
  }

  /** The body parsed as `schema` says, after `expect`. */
  async json<T>(call: Call, schema: z.ZodType<T>, ok: readonly number[] = [200]): Promise<{ status: number; value: T }> {
    const { status, text } = await this.text(call, ok);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new UnexpectedAnswerError(this.#site(call), status, text);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new UnexpectedAnswerError(this.#site(call), status, text);
    return { status, value: parsed.data };
  }

  /** The status, once the body is read to its end (a cut-off body is no answer). */
  async status(call: Call, ok: readonly number[]): Promise<number> {
    return (await this.text(call, ok)).status;
  }

  async #read(call: Call, response: Response): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw new NoAnswerError(this.#site(call), response.status, error);
    }
  }

  #site(call: Call): CallSite {
    return { method: call.method, path: call.path, url: this.#url(call) };
  }

  #url(call: Call): string {
    return `${this.root}${call.path}${queryString(call.query)}`;
  }

  #request(call: Call): Request {
    const headers = new Headers(call.headers);
    if (this.#authorization !== undefined && !headers.has('authorization')) headers.set('authorization', this.#authorization);
    let body = call.body;
    if (call.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(call.json);
    }
    const streamed = body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
    return new Request(this.#url(call), {
      method: call.method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(streamed ? { duplex: 'half' } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    } as RequestInit);
  }
}

function authorizationOf(credentials: Credentials): string {
  if ('authorization' in credentials) return credentials.authorization;
  if ('token' in credentials) return `Bearer ${credentials.token}`;
  return `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
}

/** `?list&recursive=0`: `true` is written bare as Artifactory's docs write flags, `false` as 0; undefined is left out. */
function queryString(query: Call['query']): string {
  const parts = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) =>
      value === true ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value === false ? '0' : String(value))}`,
    );
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function summary(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '(empty body)';
  return trimmed.length > 300 ? `${trimmed.slice(0, 297)}...` : trimmed;
}

/** "fetch failed: read ECONNRESET": what failed, and why when the runtime says. */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
