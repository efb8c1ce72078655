import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, basic, raw, startEdge, type RawResponse, type RunningEdge } from './edge-harness.ts';
import { requestIdOf } from './edge-calls.ts';
import { captureLog, type LogCapture } from './log-capture.ts';

/**
 * EDGE-OPS-3, EDGE-OPS-4 over real HTTP, reading the Edge's log as written: one structured line
 * per request, carrying the request id its answer gave; and the answer an Edge that is shutting
 * down gives (this Edge's own lifecycle, so not a scenario).
 */

const UPLOADS = 'artifactory-edge-uploads';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
let edge: RunningEdge;
let log: LogCapture;

beforeAll(async () => {
  // debug: the lines below info (refusals) must hold to the one-msg rule too.
  log = captureLog('debug');
  edge = await startEdge({}, { logger: log.logger });
});
afterAll(() => edge.close());

const accessLine = (id: string) => log.waitFor((r) => r.msg === 'request' && r.requestId === id, `for request ${id}`);

/** A request written byte for byte on its own connection; everything the Edge sent back. */
function onTheWire(request: string): Promise<Buffer> {
  const { port } = new URL(edge.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

describe('EDGE-OPS-4: the access log', () => {
  it('EDGE-OPS-4: writes one info line per request: request id, method, path, status, bytes, duration, user, address', async () => {
    const res = await raw(edge.url, 'GET', '/artifactory/api/repositories?type=local', { headers: { authorization: edge.admin } });
    expect(res.status).toBe(200);
    const id = requestIdOf(res);
    expect(id).toMatch(ULID);
    const line = await accessLine(id);
    expect(line).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      requestId: id,
      method: 'GET',
      path: '/artifactory/api/repositories',
      status: 200,
      bytes: expect.any(Number),
      durationMs: expect.any(Number),
      user: 'admin',
      address: '127.0.0.1',
      msg: 'request',
    });
    expect(log.records().filter((r) => r.requestId === id && r.msg === 'request')).toHaveLength(1);
  });

  it('EDGE-OPS-4: counts the bytes the client received, headers included', async () => {
    const body = Buffer.alloc(100_000, 7);
    expect((await raw(edge.url, 'PUT', `/artifactory/${UPLOADS}/log/bytes.bin`, { headers: { authorization: edge.admin }, body })).status).toBe(201);
    const received = await onTheWire(
      `GET /artifactory/${UPLOADS}/log/bytes.bin HTTP/1.1\r\nHost: x\r\nAuthorization: ${edge.admin}\r\nConnection: close\r\n\r\n`,
    );
    const id = /x-request-id: (\S+)/i.exec(received.toString('latin1'))?.[1] as string;
    expect((await accessLine(id)).bytes).toBe(received.length);
  });

  it('EDGE-OPS-4: names the user: anonymous without credentials, nobody when they are refused', async () => {
    const anonymous = await raw(edge.url, 'GET', '/artifactory/api/system/ping');
    expect((await accessLine(requestIdOf(anonymous))).user).toBe('anonymous');
    const refused = await raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: basic('admin', 'not-it') } });
    expect(await accessLine(requestIdOf(refused))).toMatchObject({ status: 401, user: null });
  });

  it('EDGE-OPS-4: logs a download the client abandoned, marked aborted', async () => {
    const body = Buffer.alloc(8 * 1024 * 1024, 1);
    expect((await raw(edge.url, 'PUT', `/artifactory/${UPLOADS}/log/big.bin`, { headers: { authorization: edge.admin }, body })).status).toBe(201);
    const { port } = new URL(edge.url);
    const id = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(`GET /artifactory/${UPLOADS}/log/big.bin HTTP/1.1\r\nHost: x\r\nAuthorization: ${edge.admin}\r\n\r\n`),
      );
      socket.once('data', (chunk: Buffer) => {
        socket.destroy();
        resolve(/x-request-id: (\S+)/i.exec(chunk.toString('latin1'))?.[1] as string);
      });
      socket.on('error', reject);
    });
    const line = await accessLine(id);
    expect(line).toMatchObject({ status: 200, aborted: true });
    expect(line.bytes as number).toBeLessThan(body.length);
  });

  it('EDGE-OPS-4: never logs credentials, tokens or query strings', async () => {
    const password = 'hunter2-not-for-logs';
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub3QtZm9yLWxvZ3MifQ.c2lnbmF0dXJlLW5vdC1mb3ItbG9ncw';
    await raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: basic('admin', password) } });
    await raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: `Bearer ${token}` } });
    const last = await raw(edge.url, 'GET', `/artifactory/api/storage/${UPLOADS}?list&password=query-secret-value`, { headers: { authorization: edge.admin } });
    await accessLine(requestIdOf(last));
    const all = log.lines.join('\n');
    for (const secret of [password, token, ...token.split('.'), 'query-secret-value', ADMIN_PASSWORD, edge.admin.slice(6)]) expect(all).not.toContain(secret);
  });

  it('EDGE-OPS-4: every line carries exactly one msg', async () => {
    // A refusal, a not-found and an undecodable URL, so debug lines are among them.
    await raw(edge.url, 'PUT', '/artifactory/no-such-repo/x', { headers: { authorization: edge.admin }, body: 'x' });
    const last = await raw(edge.url, 'GET', '/artifactory/api/nothing-here', { headers: { authorization: edge.admin } });
    await accessLine(requestIdOf(last));
    expect(log.lines.some((line) => /"level":20/.test(line))).toBe(true);
    for (const line of log.lines) expect(line.match(/"msg":/g), line).toHaveLength(1);
  });
});

describe('EDGE-OPS-3, EDGE-OPS-4: request ids in the log', () => {
  // The ids in headers and error bodies are checked over HTTP by the bad-input scenarios
  // (scenarios/scripted/bad-input/request-ids.ts); here, that the log names the same ids.
  it('EDGE-OPS-4: the log line of every refusal carries the id its answer gave', async () => {
    const refusals: [RawResponse, number][] = [
      [await raw(edge.url, 'GET', '/artifactory/api/repositories'), 401],
      [await raw(edge.url, 'GET', '/artifactory/api/repositories', { headers: { authorization: basic('admin', 'wrong') } }), 401],
      [await raw(edge.url, 'GET', `/artifactory/${UPLOADS}/../x`, { headers: { authorization: edge.admin } }), 400],
      [await raw(edge.url, 'GET', '/artifactory/api/no-such-endpoint', { headers: { authorization: edge.admin } }), 404],
      [await raw(edge.url, 'GET', '/artifactory/%E0%A4%A', { headers: { authorization: edge.admin } }), 400],
      [
        await raw(edge.url, 'PUT', '/artifactory/api/repositories/x', {
          headers: { authorization: edge.admin, 'content-type': 'application/json' },
          body: '{',
        }),
        400,
      ],
      [await raw(edge.url, 'GET', `/artifactory/${UPLOADS}/log/bytes.bin`, { headers: { authorization: edge.admin, range: 'bytes=999999-' } }), 416],
    ];
    for (const [res, status] of refusals) {
      expect(res.status).toBe(status);
      expect((await accessLine(requestIdOf(res))).status).toBe(status);
    }
  });

  it('EDGE-OPS-4: a request the HTTP parser refuses is logged with the id its answer gave', async () => {
    const answer = (await onTheWire('GET /artifactory/api/system/ping HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n')).toString();
    const id = /x-request-id: (\S+)/i.exec(answer)?.[1] as string;
    expect(id).toMatch(ULID);
    expect(await accessLine(id)).toMatchObject({ status: 400 });
  });

  it("EDGE-OPS-4: the log line carries the caller's X-Request-Id when the Edge kept it", async () => {
    const kept = await raw(edge.url, 'GET', '/artifactory/api/system/ping', { headers: { 'x-request-id': 'proxy-7f3a:01/b=c' } });
    expect(kept.headers['x-request-id']).toBe('proxy-7f3a:01/b=c');
    expect(await accessLine('proxy-7f3a:01/b=c')).toMatchObject({ status: 200 });
  });

  it("EDGE-OPS-3: a request that arrives while the Edge shuts down gets 503 in Artifactory's body, with its id", async () => {
    const closing = await startEdge();
    const { port } = new URL(closing.url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    // An upload in flight keeps the connection open across the start of the shutdown...
    socket.write(`PUT /artifactory/${UPLOADS}/closing.txt HTTP/1.1\r\nHost: x\r\nAuthorization: ${closing.admin}\r\nContent-Length: 10\r\n\r\n12345`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closed = closing.edge.close(5_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // ...and the next request on it arrives after the shutdown began.
    socket.write('67890GET /artifactory/api/system/ping HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    await closing.close();
    await socketClosed;
    const [, second = ''] = received.split(/(?=HTTP\/1\.1 )/);
    expect(received).toMatch(/^HTTP\/1\.1 201 /);
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    const id = /\r\nx-request-id: (\S+)\r\n/i.exec(second)?.[1] as string;
    expect(id).toMatch(ULID);
    expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toEqual({
      errors: [{ status: 503, code: 'UNAVAILABLE', message: 'This Edge is shutting down.', requestId: id }],
    });
  });
});
