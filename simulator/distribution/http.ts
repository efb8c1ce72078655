import { describeCause, Transport, type NoAnswerError } from '../../protocol/clients/transport.ts';
import { firstErrorOf } from '../../protocol/errors.ts';
import type { SimContext } from '../core/service.ts';

/**
 * Outbound calls to Mission Control, the source Artifactory and Edges, always through
 * `SimContext.fetch` so fault plans and the exchange recorder see them. A call either gets an
 * answer (any status; the body read completely) or throws `NoAnswerError` (refused, reset,
 * body cut off): callers must tell "the peer said no" from "the peer did not say".
 */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export interface CallOptions {
  authorization?: string;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as text/plain (AQL). */
  text?: string;
}

export async function call(ctx: SimContext, method: string, url: string, options: CallOptions = {}): Promise<Answer> {
  const { origin, pathname, search } = new URL(url);
  const { authorization, json, text } = options;
  const http = new Transport({ url: origin, fetch: ctx.fetch, ...(authorization === undefined ? {} : { credentials: { authorization } }) });
  return http.answer({ method, path: `${pathname}${search}`, json, ...(text === undefined ? {} : { body: text, headers: { 'content-type': 'text/plain' } }) });
}

/** "no answer from <url>: <cause>", for reports that name the peer. */
export function noAnswerMessage(err: NoAnswerError): string {
  return `no answer from ${err.url}: ${describeCause(err.cause)}`;
}

export function jsonOf(answer: Pick<Answer, 'text'>): unknown {
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

export function peerError(answer: Pick<Answer, 'text'>): PeerError {
  const entry = firstErrorOf(answer.text);
  if (entry) return entry;
  // Distribution-shaped or plain bodies: quote them, shortened.
  const text = answer.text.trim();
  return { code: undefined, message: text.length > 300 ? `${text.slice(0, 297)}...` : text || '(empty body)' };
}

/** "HTTP 403 EDP_UNTRUSTED_KEY: <message>" — what a peer answered, word for word. */
export function describeAnswer(answer: Pick<Answer, 'status' | 'text'>): string {
  const { code, message } = peerError(answer);
  return `HTTP ${answer.status}${code ? ` ${code}` : ''}: ${message}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;
