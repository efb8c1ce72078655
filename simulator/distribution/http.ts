import type { SimContext } from '../core/service.ts';

/**
 * Outbound calls to Mission Control, the source Artifactory and Edges, always through
 * `SimContext.fetch` so fault plans and the exchange recorder see them. A call either gets an
 * answer (any status; the body read completely) or throws `NoAnswer` (refused, reset, body
 * cut off): callers must tell "the peer said no" from "the peer did not say".
 */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export class NoAnswer extends Error {
  constructor(url: string, cause: unknown) {
    super(`no answer from ${url}: ${describeCause(cause)}`);
    this.name = 'NoAnswer';
  }
}

export interface CallOptions {
  authorization?: string;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as text/plain (AQL). */
  text?: string;
}

export async function call(ctx: SimContext, method: string, url: string, options: CallOptions = {}): Promise<Answer> {
  const headers = new Headers();
  if (options.authorization !== undefined) headers.set('authorization', options.authorization);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers.set('content-type', 'text/plain');
    body = options.text;
  }
  try {
    const res = await ctx.fetch(new Request(url, { method, headers, body }));
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (err) {
    throw new NoAnswer(url, err);
  }
}

export function jsonOf(answer: Answer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}

/** An Artifactory error entry `{"errors":[{"status","message","code"}]}` (jfrog-compat.md §0.2, docs/protocol.md §3). */
export interface PeerError {
  code: string | undefined;
  message: string;
}

export function peerError(answer: Answer): PeerError {
  const body = jsonOf(answer);
  if (isRecord(body) && Array.isArray(body.errors) && isRecord(body.errors[0])) {
    const { code, message } = body.errors[0];
    if (typeof message === 'string') return { code: typeof code === 'string' ? code : undefined, message };
  }
  // Distribution-shaped or plain bodies: quote them, shortened.
  const text = answer.text.trim();
  return { code: undefined, message: text.length > 300 ? `${text.slice(0, 297)}...` : text || '(empty body)' };
}

/** "HTTP 403 EDP_UNTRUSTED_KEY: <message>" — what a peer answered, word for word. */
export function describeAnswer(answer: Answer): string {
  const { code, message } = peerError(answer);
  return `HTTP ${answer.status}${code ? ` ${code}` : ''}: ${message}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${err.message}${cause}`;
}

/** `a/b c/d` → `a/b%20c/d`: each segment encoded, separators kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
