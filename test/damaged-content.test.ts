import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';

const FILE = '/artifactory/artifactory-edge-uploads/damaged/data.bin';
const CONTENT = Buffer.alloc(256 * 1024, 'edgeproof');
const SHA256 = createHash('sha256').update(CONTENT).digest('hex');

/** How a GET ended: an HTTP answer read to its end, or a broken response. Never waits past `ms`. */
function outcome(
  base: string,
  path: string,
  headers: Record<string, string>,
  ms = 3000,
): Promise<{ status: number; bytes: number; length: string | undefined } | 'broken' | 'hung'> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const req = httpRequest({ hostname, port, path, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => void (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, length: res.headers['content-length'] }));
      res.on('error', () => resolve('broken'));
      res.on('aborted', () => resolve('broken'));
    });
    req.on('error', () => resolve('broken'));
    req.setTimeout(ms, () => {
      resolve('hung');
      req.destroy();
    });
    req.end();
  });
}

describe('damaged content over HTTP', () => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge();
    expect((await raw(edge.url, 'PUT', FILE, { headers: { authorization: edge.admin }, body: CONTENT })).status).toBe(201);
    // What a power cut the filestore did not survive, or a damaged disk, leaves: a shorter blob.
    await truncate(join(edge.dataDir, 'filestore', SHA256.slice(0, 2), SHA256.slice(2, 4), SHA256), 1000);
  });
  afterAll(() => edge.close());

  it.each([
    ['the whole file', {}],
    ['a range reaching past the stored bytes', { range: 'bytes=500-200000' }],
  ])(
    'EDGE-DUR-3: a blob shorter than its recorded size fails the download of %s promptly, never a hang or a short body taken for whole',
    async (_label, headers) => {
      const started = Date.now();
      const result = await outcome(edge.url, FILE, { authorization: edge.admin, ...headers });
      expect(result).not.toBe('hung');
      if (typeof result === 'object') {
        // Refused before the first byte: an error answer, its body complete as announced.
        expect(result.status).toBe(500);
        expect(String(result.bytes)).toBe(result.length);
      }
      expect(Date.now() - started).toBeLessThan(3000);
    },
  );
});

describe('damaged small content over HTTP (read whole, in one read)', () => {
  const SMALL = Buffer.alloc(4096, 'small');
  const SMALL_SHA256 = createHash('sha256').update(SMALL).digest('hex');
  const blob = () => join(edge.dataDir, 'filestore', SMALL_SHA256.slice(0, 2), SMALL_SHA256.slice(2, 4), SMALL_SHA256);
  let edge: RunningEdge;

  beforeAll(async () => {
    edge = await startEdge();
    expect((await raw(edge.url, 'PUT', FILE, { headers: { authorization: edge.admin }, body: SMALL })).status).toBe(201);
  });
  afterAll(() => edge.close());

  it.each([
    ['shorter', () => writeFile(blob(), SMALL.subarray(0, 1000))],
    ['longer', () => writeFile(blob(), Buffer.concat([SMALL, Buffer.from('x')]))],
  ])('EDGE-DUR-3: a small blob %s than its recorded size fails its download before the first byte', async (_label, damage) => {
    await damage();
    const result = await outcome(edge.url, FILE, { authorization: edge.admin });
    expect(result).toMatchObject({ status: 500 });
    if (typeof result === 'object') expect(String(result.bytes)).toBe(result.length);
  });
});
