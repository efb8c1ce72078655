import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startEdge, type RunningEdge } from './edge-harness.ts';

const FILE = '/artifactory/artifactory-edge-uploads/ranges/data.bin';
const CONTENT = 'twenty bytes of data';

describe('downloads: ranges and If-Range over HTTP (RFC 9110 §13.1.5, §14.1.2)', () => {
  let edge: RunningEdge;
  const get = (headers: Record<string, string>) => raw(edge.url, 'GET', FILE, { headers: { authorization: edge.admin, ...headers } });

  beforeAll(async () => {
    edge = await startEdge();
    const put = await raw(edge.url, 'PUT', FILE, { headers: { authorization: edge.admin }, body: CONTENT });
    expect(put.status).toBe(201);
  });
  afterAll(() => edge.close());

  it('EDGE-ART-5: a suffix range longer than the file gets the whole file as 206', async () => {
    const res = await get({ range: 'bytes=-100' });
    expect([res.status, res.headers['content-range'], res.text]).toEqual([206, `bytes 0-19/${CONTENT.length}`, CONTENT]);
  });

  it('EDGE-ART-5: If-Range naming the current ETag or Last-Modified keeps the range; a stale one gets the whole file', async () => {
    const head = await raw(edge.url, 'HEAD', FILE, { headers: { authorization: edge.admin } });
    const etag = String(head.headers.etag);
    const lastModified = String(head.headers['last-modified']);
    for (const current of [etag, `"${etag}"`, lastModified]) {
      const res = await get({ range: 'bytes=0-5', 'if-range': current });
      expect([res.status, res.text], current).toEqual([206, CONTENT.slice(0, 6)]);
    }
    const stale = new Date(Date.parse(lastModified) - 1000).toUTCString();
    for (const validator of ['"0000000000000000000000000000000000000000"', stale]) {
      const res = await get({ range: 'bytes=0-5', 'if-range': validator });
      expect([res.status, res.headers['content-range'], res.text], validator).toEqual([200, undefined, CONTENT]);
    }
  });
});
