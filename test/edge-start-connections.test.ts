import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEdge, parseConfig, type Edge } from '../edge/index.ts';

/**
 * A health checker (Docker's, Kubernetes', Testcontainers' wait) knocks on the port from the
 * moment the Edge holds it, which is from before it opens its data (a port in use refuses first);
 * such a caller must be turned away at once, not keep the Edge from ever listening.
 */

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('EDGE-OPS-7: connections while the Edge starts', () => {
  let edge: Edge | undefined;
  let dataDir: string | undefined;
  let early: Socket | undefined;
  afterEach(async () => {
    early?.destroy();
    await edge?.close(0);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('EDGE-OPS-7: a connection held open while the Edge starts is closed and does not hold up the start', async () => {
    const port = await freePort();
    dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-start-'));
    edge = await createEdge(parseConfig({ port, dataDir, adminPassword: 'start-password', logLevel: 'silent' }));

    // The port is held but not served yet: a checker connects and keeps its connection open.
    early = createConnection({ port, host: '127.0.0.1' });
    const closed = once(early, 'close');
    early.on('error', () => undefined);
    await once(early, 'connect');

    const started = await Promise.race([edge.listen(), sleep(3000).then(() => 'still not listening after 3 s')]);
    expect(started).toBe(`http://127.0.0.1:${port}`);
    await closed;
    const ping = await fetch(`${started}/artifactory/api/system/ping`);
    expect(ping.status).toBe(200);
  });
});
