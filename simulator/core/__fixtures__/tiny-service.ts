import { Hono } from 'hono';
import { chunked, patternBytes, sha256 } from '../../__fixtures__/bytes.ts';
import type { ServiceName } from '../../names/services.ts';
import type { SimService } from '../service.ts';

/**
 * The smallest service the tests need: an Artifactory-like download with Content-Length and
 * X-Checksum-Sha256 (jfrog-compat.md §1.3), an upload that reports what it
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
