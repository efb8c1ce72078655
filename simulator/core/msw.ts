import { http, type HttpHandler } from 'msw';
import { serveInbound, type InboundOptions, type InboundTransport } from './inbound.ts';
import type { SimService } from './service.ts';

/**
 * In-process transport: there is no socket to break, so a dropped exchange is a network error
 * (`fetch` rejects) and a reset mid-body is the body stream erroring.
 */
const inProcess: InboundTransport = {
  drop: () => Response.error(),
  resetMidBody: async (fail) => fail(),
};

/**
 * msw handlers that answer every request to `baseUrl` with the service's app, with the same
 * inbound faults and recording as a real listener. `baseUrl` is an origin: the app sees the
 * full path, as it would behind `listen`.
 */
export function mswHandlers(service: SimService, baseUrl: string, options: InboundOptions = {}): HttpHandler[] {
  const url = new URL(baseUrl);
  if (url.pathname !== '/' || url.search !== '') {
    throw new TypeError(`mswHandlers: baseUrl must be an origin such as http://source.sim, got ${baseUrl}`);
  }
  return [http.all(`${url.origin}/*`, ({ request }) => serveInbound(service, request, options, inProcess))];
}
