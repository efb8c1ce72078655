import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { FaultInjector } from '../faults/injector.ts';
import { serveInbound, type InboundTransport } from './inbound.ts';
import type { Recorder } from './recorder.ts';
import type { SimService } from './service.ts';

export interface ListenOptions {
  /** Loopback only: simulators hold fixture credentials and must never be reachable from outside. */
  readonly host?: '127.0.0.1';
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly faults?: FaultInjector;
  readonly recorder?: Recorder;
}

export interface Listener {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** Stops listening and drops every open connection (an exchange held by `hang` ends as aborted). */
  close(): Promise<void>;
}

/** Serves a simulated service on a real loopback socket, with inbound faults and recording. */
export async function listen(service: SimService, options: ListenOptions = {}): Promise<Listener> {
  const host = options.host ?? '127.0.0.1';
  // getRequestListener + our own http.Server (rather than `serve`) keeps the server typed as an
  // HTTP/1 server, whose sockets we reset, and leaves the global Request/Response alone.
  const server = createServer(
    getRequestListener((request, bindings) => serveInbound(service, request, options, socketTransport(bindings)), {
      overrideGlobalObjects: false,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function socketTransport({ incoming, outgoing }: HttpBindings | Http2Bindings): InboundTransport {
  const socket = incoming.socket;
  return {
    drop(how) {
      if (how === 'reset') socket.resetAndDestroy();
      else socket.destroy();
      // Tells @hono/node-server that the response is taken care of: it writes nothing.
      return RESPONSE_ALREADY_SENT;
    },
    async resetMidBody() {
      // node-server writes the head and the body bytes it has read ahead in one go, after it
      // stops waiting for more; the reset must come after them.
      while (!outgoing.headersSent && !socket.destroyed) await new Promise((resolve) => setImmediate(resolve));
      // An empty write completes after every earlier one, i.e. once the prefix is on the wire;
      // destroying earlier would discard bytes still in the socket's buffer.
      await new Promise((resolve) => socket.write(new Uint8Array(0), resolve));
      // RST rather than FIN: the peer sees ECONNRESET, as with a real dropped connection. The
      // body is not errored: node-server would log that as a server fault; it cancels the body
      // when it sees the socket close, as after any client disconnect.
      socket.resetAndDestroy();
    },
  };
}
