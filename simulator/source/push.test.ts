import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { checksumsOf } from '../../protocol/checksums.ts';
import { errorBody } from '../../protocol/errors.ts';
import type { Outbound } from '../core/service.ts';
import type { PushReport } from '../../protocol/wire/source-bundles.ts';
import { STORING_REPO } from './store.ts';
import { errorOf, testSource, type TestSource } from './__fixtures__/test-source.ts';

const EDGE = 'http://edge.test:8082';
const EDGE_AUTH = 'Bearer edge-token';
const FILES = { 'generic-local/a.bin': 'aaaa', 'generic-local/b.bin': 'bbbbbbbb', 'generic-local/dir/c.bin': 'cccccccccccc' };

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A stand-in Edge reached only through `ctx.fetch`: it holds some content already (checksum
 * deploy succeeds for it) and answers uploads with 201; `answer` can override any call.
 */
function fakeEdge(
  held: string[],
  answer?: (seen: Seen) => Promise<Response> | Response | undefined,
): { fetch: Outbound; calls: Seen[]; maxInFlight: () => number } {
  const calls: Seen[] = [];
  let inFlight = 0;
  let max = 0;
  const fetch: Outbound = async (request) => {
    inFlight++;
    max = Math.max(max, inFlight);
    try {
      const seen = { method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
      calls.push(seen);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const custom = await answer?.(seen);
      if (custom) return custom;
      // EDP-FILE-5: the file's entry, now PRESENT.
      const present = () => {
        const checksum = seen.headers['x-checksum-sha256'] ?? '';
        return Response.json(
          { repo_path: decodeURIComponent(seen.url.split('/files/')[1] ?? ''), checksum, size: seen.body.length, state: 'PRESENT' },
          { status: 201 },
        );
      };
      if (seen.headers['x-checksum-deploy'] === 'true') {
        return held.includes(seen.headers['x-checksum-sha256'] ?? '')
          ? present()
          : Response.json(errorBody(404, 'upload it', 'EDP_CONTENT_UNKNOWN'), { status: 404 });
      }
      return present();
    } finally {
      inFlight--;
    }
  };
  return { fetch, calls, maxInFlight: () => max };
}

async function sourceWithBundle(fetch: Outbound, files: Record<string, string> = FILES): Promise<TestSource> {
  const src = testSource({}, fetch);
  await src.repo('libs');
  const artifacts = [];
  for (const [target, content] of Object.entries(files)) {
    const source = `libs/${target.split('/').slice(1).join('/')}`;
    await src.deploy(source, content);
    artifacts.push({ source_repo_path: source, target_repo_path: target, checksum: checksumsOf(content).sha256 });
  }
  const stored = await src.call('POST', '/artifactory/api/release/bundles/store', {
    body: JSON.stringify({ name: 'rb', version: '1.0', jws: 'h.p.s', artifacts }),
  });
  if (stored.status !== 201) throw new Error(await stored.text());
  return src;
}

async function push(src: TestSource, extra: Record<string, unknown> = {}): Promise<Response> {
  return src.call('POST', '/artifactory/api/edp/push', {
    body: JSON.stringify({ edge_url: EDGE, transaction_id: 'tx-1', authorization: EDGE_AUTH, name: 'rb', version: '1.0', ...extra }),
  });
}

async function report(src: TestSource, extra: Record<string, unknown> = {}): Promise<PushReport> {
  const res = await push(src, extra);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as PushReport;
}

describe('source: pushing a stored bundle to an Edge transaction (our design; docs/protocol.md §3)', () => {
  // Every outbound call must go through ctx.fetch, where faults and recording wrap it.
  let globalFetch: MockInstance<typeof fetch>;
  beforeEach(() => {
    globalFetch = vi.spyOn(globalThis, 'fetch');
  });
  afterEach(() => {
    expect(globalFetch).not.toHaveBeenCalled();
    globalFetch.mockRestore();
  });

  it('tries checksum deploy first and uploads only content the Edge does not hold, all through ctx.fetch', async () => {
    const edge = fakeEdge([checksumsOf(FILES['generic-local/b.bin']).sha256]);
    const src = await sourceWithBundle(edge.fetch);
    const result = await report(src);
    expect(result).toEqual({
      files: [
        { repo_path: 'generic-local/a.bin', status: 201, bytes_sent: 4, method: 'upload' },
        { repo_path: 'generic-local/b.bin', status: 201, bytes_sent: 0, method: 'checksum' },
        { repo_path: 'generic-local/dir/c.bin', status: 201, bytes_sent: 12, method: 'upload' },
      ],
      transferred_files: 3,
      transferred_bytes: 16,
    });

    const claims = edge.calls.filter((c) => c.headers['x-checksum-deploy'] === 'true');
    expect(claims.map((c) => c.url).sort()).toEqual([
      `${EDGE}/artifactory/api/edp/v1/transactions/tx-1/files/generic-local/a.bin`,
      `${EDGE}/artifactory/api/edp/v1/transactions/tx-1/files/generic-local/b.bin`,
      `${EDGE}/artifactory/api/edp/v1/transactions/tx-1/files/generic-local/dir/c.bin`,
    ]);
    for (const claim of claims) expect(claim).toMatchObject({ method: 'PUT', body: '', headers: { authorization: EDGE_AUTH } });
    const uploads = edge.calls.filter((c) => c.headers['x-checksum-deploy'] === undefined);
    expect(uploads.map((u) => [u.url.split('/files/')[1], u.body, u.headers['x-checksum-sha256'], u.headers['content-length']]).sort()).toEqual([
      ['generic-local/a.bin', 'aaaa', checksumsOf('aaaa').sha256, '4'],
      ['generic-local/dir/c.bin', 'cccccccccccc', checksumsOf('cccccccccccc').sha256, '12'],
    ]);
    for (const upload of uploads) expect(upload.headers.authorization).toBe(EDGE_AUTH);
  });

  it('reports exactly what the Edge answered, uploads nothing after a refused claim, and never retries', async () => {
    const edge = fakeEdge([], (seen) => {
      if (seen.url.endsWith('/a.bin') && seen.headers['x-checksum-deploy'])
        return Response.json(errorBody(409, 'Transaction tx-1 is COMMITTED.', 'EDP_TX_CLOSED'), { status: 409 });
      if (seen.url.endsWith('/b.bin') && !seen.headers['x-checksum-deploy'])
        return Response.json(errorBody(409, 'sha256 differs', 'EDP_CHECKSUM_MISMATCH'), { status: 409 });
      if (seen.url.endsWith('/c.bin') && !seen.headers['x-checksum-deploy']) return new Response('gateway says no', { status: 502 });
      return undefined;
    });
    const src = await sourceWithBundle(edge.fetch);
    const result = await report(src);
    expect(result).toEqual({
      files: [
        { repo_path: 'generic-local/a.bin', status: 409, code: 'EDP_TX_CLOSED', message: 'Transaction tx-1 is COMMITTED.', bytes_sent: 0, method: 'checksum' },
        { repo_path: 'generic-local/b.bin', status: 409, code: 'EDP_CHECKSUM_MISMATCH', message: 'sha256 differs', bytes_sent: 8, method: 'upload' },
        { repo_path: 'generic-local/dir/c.bin', status: 502, message: 'gateway says no', bytes_sent: 12, method: 'upload' },
      ],
      transferred_files: 0,
      transferred_bytes: 0,
    });
    // One claim per file, one upload for each 404 EDP_CONTENT_UNKNOWN: 3 + 2 calls, no retries.
    expect(edge.calls).toHaveLength(5);
  });

  it('reports calls that got no answer, or half of one, with status 0 / the status and NETWORK_ERROR', async () => {
    const edge = fakeEdge([], (seen) => {
      if (seen.url.endsWith('/a.bin')) throw new TypeError('fetch failed', { cause: new Error('read ECONNRESET') });
      if (seen.url.endsWith('/b.bin') && !seen.headers['x-checksum-deploy']) {
        const body = new ReadableStream({ start: (controller) => controller.error(new Error('socket hang up')) });
        return new Response(body, { status: 201 });
      }
      return undefined;
    });
    const src = await sourceWithBundle(edge.fetch);
    const [a, b] = (await report(src, { files: ['generic-local/a.bin', 'generic-local/b.bin'] })).files;
    expect(a).toEqual({
      repo_path: 'generic-local/a.bin',
      status: 0,
      code: 'NETWORK_ERROR',
      message: 'no answer: fetch failed: read ECONNRESET',
      bytes_sent: 0,
      method: 'checksum',
    });
    expect(b).toEqual({
      repo_path: 'generic-local/b.bin',
      status: 201,
      code: 'NETWORK_ERROR',
      message: 'the answer was cut off: socket hang up',
      bytes_sent: 8,
      method: 'upload',
    });
  });

  it('gives up on a call after timeout_ms, even when the transport ignores the abort', async () => {
    const edge = fakeEdge([], (seen) => (seen.url.endsWith('/a.bin') ? new Promise<Response>(() => undefined) : undefined));
    const src = await sourceWithBundle(edge.fetch);
    const result = await report(src, { timeout_ms: 50 });
    expect(result.files[0]).toEqual({
      repo_path: 'generic-local/a.bin',
      status: 0,
      code: 'TIMEOUT',
      message: 'no complete answer within 50 ms',
      bytes_sent: 0,
      method: 'checksum',
    });
    expect(result.files[1]).toMatchObject({ status: 201, method: 'upload' });
  });

  it('keeps at most `concurrency` calls in flight (default 4)', async () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`generic-local/f${i}.bin`, `content ${i}`]));
    const byDefault = fakeEdge([]);
    const result = await report(await sourceWithBundle(byDefault.fetch, many));
    expect(result.transferred_files).toBe(12);
    expect(result.files.map((f) => f.repo_path)).toEqual(Object.keys(many));
    expect(byDefault.maxInFlight()).toBe(4);

    const serial = fakeEdge([]);
    await report(await sourceWithBundle(serial.fetch, many), { concurrency: 1 });
    expect(serial.maxInFlight()).toBe(1);
    const wide = fakeEdge([]);
    await report(await sourceWithBundle(wide.fetch, many), { concurrency: 16 });
    expect(wide.maxInFlight()).toBe(12);
  });

  it('pushes a requested subset in the given order, and accepts an Edge URL ending in /artifactory', async () => {
    const edge = fakeEdge([]);
    const src = await sourceWithBundle(edge.fetch);
    const result = await report(src, { files: ['generic-local/dir/c.bin', 'generic-local/a.bin'], edge_url: `${EDGE}/artifactory/` });
    expect(result.files.map((f) => f.repo_path)).toEqual(['generic-local/dir/c.bin', 'generic-local/a.bin']);
    expect(new Set(edge.calls.map((c) => new URL(c.url).pathname.split('/files/')[0]))).toEqual(new Set(['/artifactory/api/edp/v1/transactions/tx-1']));
  });

  it('refuses requests it cannot act on with a 4xx and makes no call', async () => {
    const edge = fakeEdge([]);
    const src = await sourceWithBundle(edge.fetch);
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ name: 'none' }, 404, 'Release bundle none/1.0 is not stored here.'],
      [{ files: ['generic-local/zzz.bin'] }, 400, 'files[0] "generic-local/zzz.bin" is not in bundle rb/1.0.'],
      [{ files: ['generic-local/a.bin', 'generic-local/a.bin'] }, 400, 'files[1] "generic-local/a.bin" is listed twice.'],
      [{ files: [] }, 400, 'files lists at least one repo_path'],
      [{ edge_url: 'ftp://edge' }, 400, 'edge_url must be an http(s) URL'],
      [{ transaction_id: '../x' }, 400, 'transaction_id must be'],
      [{ authorization: 'Basic a\r\nX-Evil: 1' }, 400, 'authorization must be a header value'],
      [{ concurrency: 0 }, 400, 'concurrency'],
      [{ timeout_ms: 1.5 }, 400, 'timeout_ms'],
    ];
    for (const [extra, status, message] of refusals) {
      const error = await errorOf(await push(src, extra));
      expect([error.status, error.message], JSON.stringify(extra)).toEqual([status, expect.stringContaining(message)]);
    }
    expect((await src.call('POST', '/artifactory/api/edp/push', { body: '{}', auth: null })).status).toBe(401);

    // A clone that was deleted from the storing repository cannot be pushed honestly.
    await src.call('DELETE', `/artifactory/${STORING_REPO}/rb/1.0/generic-local/a.bin`);
    expect(await errorOf(await push(src))).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(edge.calls).toEqual([]);
  });
});
