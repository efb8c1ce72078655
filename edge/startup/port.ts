import { createServer, type AddressInfo } from 'node:net';
import { StartupRefusal } from './refusal.ts';

export interface PortReservation {
  /** The port held: the one asked for, or the one the system chose for port 0. */
  readonly port: number;
  /** Idempotent. */
  release(): Promise<void>;
}

const WHY: Record<string, (host: string, port: number) => string> = {
  EADDRINUSE: (host, port) => `port ${port} on ${host} is already in use`,
  EACCES: (host, port) => `port ${port} on ${host} needs privileges this process does not have`,
  EADDRNOTAVAIL: (host) => `${host} is not an address of this machine`,
  ENOTFOUND: (host) => `host ${host} cannot be resolved`,
  EAI_AGAIN: (host) => `host ${host} cannot be resolved`,
};

/**
 * EDGE-OPS-2: binds the Edge's address before the data directory is touched, so a port in use
 * is refused with nothing created and no password printed. The Edge releases it just before
 * its own listener binds the same port.
 */
export async function reservePort(host: string, port: number): Promise<PortReservation> {
  // EDGE-OPS-7: a caller that connects before the Edge serves (a health check) is closed at
  // once; one kept open would hold up release(), since close() waits for every connection.
  const server = createServer((socket) => socket.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    const why = WHY[(error as NodeJS.ErrnoException).code ?? ''];
    if (why) throw new StartupRefusal(`cannot listen: ${why(host, port)}`);
    throw error;
  }
  let released: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    release() {
      released ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return released;
    },
  };
}
