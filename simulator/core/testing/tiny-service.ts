import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import type { ServiceName, SimService } from '../service.ts';

/** Deterministic, non-repeating-looking test bytes. */
export function patternBytes(length: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + salt * 7 + (i >> 8)) % 251);
}

export function sha256(bytes: Uint8Array): string {
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

/**
 * The smallest service the tests need: an Artifactory-like download with Content-Length and
 * X-Checksum-Sha256 (jfrog-wire.md §1.3), an upload that reports what it
 * received, a bodiless answer, an upload refused unread and an echo.
 */
export function tinyService(name: ServiceName = 'upstream'): SimService {
  const app = new Hono();
  app.get('/files/:size{[0-9]+}', (c) => {
    const bytes = patternBytes(Number(c.req.param('size')));
    return new Response(chunked(bytes), {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.byteLength),
        'x-checksum-sha256': sha256(bytes),
      },
    });
  });
  app.put('/files/*', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return c.json({ bytes: bytes.byteLength, sha256: sha256(bytes) }, 201);
  });
  app.get('/empty', () => new Response(null, { status: 204 }));
  // Refuses before reading a byte, as an Edge does when a checksum header is already wrong.
  app.put('/refuse/*', () => new Response(null, { status: 409 }));
  app.post('/echo', (c) => new Response(c.req.raw.body, { headers: { 'content-type': 'application/octet-stream' } }));
  return { name, app };
}
