import { createHash } from 'node:crypto';

/** Bytes for simulator tests: reproducible content, its digest, and a lazy stream of it. */

/** Deterministic, non-repeating-looking test bytes. */
export function patternBytes(length: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + salt * 7 + (i >> 8)) % 251);
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Streams `bytes` in `chunk`-sized pieces, each produced only when read. */
export function chunked(bytes: Uint8Array, chunk = 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.byteLength) return controller.close();
        controller.enqueue(bytes.slice(at, at + chunk));
        at += chunk;
      },
    },
    { highWaterMark: 0 },
  );
}
