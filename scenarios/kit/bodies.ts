import type { RawResponse } from './http.ts';

/** Request bodies that are streamed, or held open, to show when the Edge answers. */

/** `bytes` in chunks of `chunk`, filled with `fill`, sent chunked (no Content-Length unless given). */
export async function* streamedBody(bytes: number, chunk: number, fill = 0x61): AsyncIterable<Uint8Array> {
  for (let sent = 0; sent < bytes; sent += chunk) yield Buffer.alloc(Math.min(chunk, bytes - sent), fill);
}

/** A body that streams `bytes`, then waits for `release` before it ends. */
export async function* heldBody(bytes: number, chunk: number, release: Promise<void>): AsyncIterable<Uint8Array> {
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
    return await Promise.race([send(heldBody(opening.bytes, opening.chunk, released)), timeout]);
  } finally {
    clearTimeout(timer);
    release();
  }
}
