import { Hono } from 'hono';
import type { ServiceName } from '../names/services.ts';
import type { SimService } from './service.ts';

/**
 * A service that hands every request on to another HTTP server (`origin`) and its answer back,
 * byte for byte. Served with `listen`, it puts the simulators' fault plans and exchange recorder
 * in front of a server that has neither — another Edge playing a smart remote's upstream.
 */

/** Headers that describe one hop's connection, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer'];

export function createRelay(name: ServiceName, origin: string): SimService {
  const app = new Hono();
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    const headers = new Headers(c.req.raw.headers);
    for (const h of [...HOP_BY_HOP, 'host']) headers.delete(h);
    // fetch would decode a compressed answer and leave a Content-Length that no longer fits.
    headers.set('accept-encoding', 'identity');
    const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    const answer = await fetch(new URL(`${url.pathname}${url.search}`, origin), {
      method: c.req.method,
      headers,
      redirect: 'manual',
      ...(hasBody ? { body: c.req.raw.body, duplex: 'half' } : {}),
    } as RequestInit);
    const out = new Headers(answer.headers);
    for (const h of HOP_BY_HOP) out.delete(h);
    return new Response(answer.body, { status: answer.status, headers: out });
  });
  return { name, app };
}
