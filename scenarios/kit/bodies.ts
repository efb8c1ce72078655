import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { AssertionError } from 'chai';
import type { HttpOptions, ScenarioContext } from './context.ts';
import type { RawResponse } from './http.ts';

/**
 * Request bodies a scenario shapes on purpose: bytes derived from a seed, the same bytes with
 * one byte changed, streamed in chunks of a chosen size, or held back after a first part so
 * that the scenario can tell whether the Edge answered before reading the rest.
 */

/** `length` bytes that depend only on `seed` (SHA-256 in counter mode): the same run, the same bytes. */
export function seededBytes(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) blocks.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

/** A copy of `bytes` with the byte at `at` inverted. */
export function flipByte(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

/** `bytes` streamed in chunks of `size` (sent with Transfer-Encoding: chunked unless a Content-Length is given). */
export async function* inChunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

interface HeldBody {
  body: AsyncIterable<Uint8Array>;
  /** Sends the rest and ends the body. */
  release(): void;
}

/** Sends `first`, then waits for `release()` before sending `rest`. */
function heldBody(first: Buffer, rest: Buffer = Buffer.alloc(0)): HeldBody {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* body(): AsyncGenerator<Buffer> {
    yield first;
    await released;
    if (rest.length > 0) yield rest;
  }
  return { body: body(), release };
}

/** How long an Edge may take to answer a request whose body it need not read. */
const EARLY_ANSWER_MS = 10_000;

/**
 * Sends a request whose body stops after `first` and expects the answer before the rest is
 * sent: the Edge decided without reading the whole body (credentials, headers, a declared
 * length, a PRESENT file, or a size already exceeded). The rest is sent afterwards, so the
 * request always ends well-formed. A request the Edge resets while answering counts as
 * answered only when the answer came first.
 */
export async function answeredBeforeBodyEnds(
  send: (body: AsyncIterable<Uint8Array>) => Promise<RawResponse>,
  first: Buffer,
  rest?: Buffer,
): Promise<RawResponse> {
  const held = heldBody(first, rest);
  const answer = send(held.body);
  const outcome = await Promise.race([
    answer.then(
      (res) => ({ res }),
      (error: Error) => ({ error }),
    ),
    delay(EARLY_ANSWER_MS).then(() => ({ waited: true as const })),
  ]);
  held.release();
  if ('waited' in outcome) {
    await answer.catch(() => undefined);
    throw new AssertionError(`the Edge did not answer within ${EARLY_ANSWER_MS} ms while the request body was held back: it waited for the body`);
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.res;
}

/**
 * `method path` with `bytes` as its body (Content-Length declared), held back after the first
 * byte: the answer must come before the rest is sent.
 */
export function sentHeld(
  t: ScenarioContext,
  method: string,
  path: string,
  bytes: Buffer,
  options: Omit<HttpOptions, 'body' | 'json'> = {},
): Promise<RawResponse> {
  return answeredBeforeBodyEnds(
    (body) => t.http(method, path, { ...options, headers: { 'content-length': bytes.length, ...options.headers }, body }),
    bytes.subarray(0, 1),
    bytes.subarray(1),
  );
}

/** `bytes` in chunks of `chunk`, filled with `fill`, sent chunked (no Content-Length unless given). */
export async function* streamedBody(bytes: number, chunk: number, fill = 0x61): AsyncIterable<Uint8Array> {
  for (let sent = 0; sent < bytes; sent += chunk) yield Buffer.alloc(Math.min(chunk, bytes - sent), fill);
}

/** A body that streams `bytes`, then waits for `release` before it ends. */
async function* heldStream(bytes: number, chunk: number, release: Promise<void>): AsyncIterable<Uint8Array> {
  yield* streamedBody(bytes, chunk);
  await release;
}

/**
 * Sends a request whose body stays open after its first bytes, and resolves with the answer, or
 * rejects when none arrives within `ms` while the body is still open: the Edge must refuse
 * without waiting for the end of a body it will not take.
 */
export async function answeredWhileBodyOpen(
  send: (body: AsyncIterable<Uint8Array>) => Promise<RawResponse>,
  opening: { bytes: number; chunk: number },
  ms = 3000,
): Promise<RawResponse> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms while the body was still being sent`)), ms);
  });
  try {
    return await Promise.race([send(heldStream(opening.bytes, opening.chunk, released)), timeout]);
  } finally {
    clearTimeout(timer);
    release();
  }
}
