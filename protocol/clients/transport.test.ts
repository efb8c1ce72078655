import { describe, expect, it } from 'vitest';
import { errorBody } from '../errors.ts';
import { ArtifactoryClient } from './artifactory.ts';
import { EdpClient } from './edp.ts';
import { ApiError, NoAnswerError, UnexpectedAnswerError, type Fetch } from './transport.ts';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A server stand-in behind the injected fetch: records each request and answers `answer`. */
function stub(answer: (seen: Seen) => Response | Promise<Response>): { fetch: Fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: Fetch = async (request) => {
    const entry = { method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() };
    seen.push(entry);
    return answer(entry);
  };
  return { fetch, seen };
}

const TX_FILE = { repo_path: 'libs/a.bin', checksum: 'c'.repeat(64), size: 3, state: 'PRESENT' };

describe('client transport: requests', () => {
  it('sends every call through the injected fetch, to the server root, with the credentials', async () => {
    const server = stub(() => new Response('OK'));
    await new ArtifactoryClient({ url: 'http://edge.test:8082/artifactory/', credentials: { user: 'admin', password: 'pw' }, fetch: server.fetch }).ping();
    await new ArtifactoryClient({ url: 'http://edge.test:8082', credentials: { token: 't0k3n' }, fetch: server.fetch }).ping();
    expect(server.seen.map((s) => [s.method, s.url, s.headers.authorization])).toEqual([
      ['GET', 'http://edge.test:8082/artifactory/api/system/ping', `Basic ${Buffer.from('admin:pw').toString('base64')}`],
      ['GET', 'http://edge.test:8082/artifactory/api/system/ping', 'Bearer t0k3n'],
    ]);
  });

  it('writes flags bare, false as 0, properties escaped, and encodes each path segment', async () => {
    const server = stub(() => new Response(null, { status: 204 }));
    const client = new ArtifactoryClient({ url: 'http://edge.test', fetch: server.fetch });
    await client.setProperties('libs/a dir/x;y.txt', { k: ['v,1', 'w|2'] }, { recursive: false });
    const url = new URL(server.seen[0]?.url ?? '');
    expect(url.pathname).toBe('/artifactory/api/storage/libs/a%20dir/x%3By.txt');
    expect(url.searchParams.get('properties')).toBe('k=v\\,1,w\\|2');
    expect(url.searchParams.get('recursive')).toBe('0');
  });

  it('sends matrix parameters and checksum headers on deploy, and the body as it is read', async () => {
    const server = stub(() => Response.json({ repo: 'libs', path: '/a.txt', created: 'c', createdBy: 'admin', downloadUri: 'd', uri: 'd' }, { status: 201 }));
    async function* chunks() {
      yield new TextEncoder().encode('hel');
      yield new TextEncoder().encode('lo');
    }
    await new ArtifactoryClient({ url: 'http://edge.test', fetch: server.fetch }).deploy('libs/a.txt', chunks(), {
      checksums: { sha1: 'f'.repeat(40) },
      properties: { release: ['1.0', '1.1'] },
    });
    const [deploy] = server.seen;
    expect(deploy?.url).toBe('http://edge.test/artifactory/libs/a.txt;release=1.0;release=1.1');
    expect([deploy?.headers['x-checksum-sha1'], deploy?.body]).toEqual(['f'.repeat(40), 'hello']);
  });
});

describe('client transport: the three failures', () => {
  it('turns a refusal into ApiError with status, code and the whole error body', async () => {
    const body = errorBody(409, 'Transaction t1 is COMMITTED.', 'EDP_TX_CLOSED', { missing: [] });
    const server = stub(() => Response.json(body, { status: 409 }));
    const failure = await new EdpClient({ url: 'http://edge.test', fetch: server.fetch }).commit('t1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      status: 409,
      code: 'EDP_TX_CLOSED',
      method: 'POST',
      path: '/artifactory/api/edp/v1/transactions/t1/commit',
      errors: [{ status: 409, message: 'Transaction t1 is COMMITTED.', code: 'EDP_TX_CLOSED', missing: [] }],
      message: 'POST /artifactory/api/edp/v1/transactions/t1/commit answered 409 EDP_TX_CLOSED: Transaction t1 is COMMITTED.',
    });
  });

  it('keeps a refusal that is not an Artifactory error body as text', async () => {
    const server = stub(() => new Response('gateway says no', { status: 502 }));
    const failure = await new EdpClient({ url: 'http://edge.test', fetch: server.fetch }).status('t1').catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 502, code: undefined, errors: undefined, text: 'gateway says no' });
  });

  it('reports no answer, and an answer cut off mid-body with its status, as NoAnswerError', async () => {
    const refused: Fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    };
    const none = await new EdpClient({ url: 'http://edge.test', fetch: refused }).status('t1').catch((error: unknown) => error);
    expect(none).toBeInstanceOf(NoAnswerError);
    expect(none).toMatchObject({ status: undefined, message: 'no answer: fetch failed: connect ECONNREFUSED' });

    const cutOff: Fetch = async () =>
      new Response(new ReadableStream({ start: (controller) => controller.error(new Error('socket hang up')) }), { status: 201 });
    const half = await new EdpClient({ url: 'http://edge.test', fetch: cutOff })
      .uploadFile('t1', 'libs/a.bin', 'abc', { sha256: TX_FILE.checksum })
      .catch((error: unknown) => error);
    expect(half).toBeInstanceOf(NoAnswerError);
    expect(half).toMatchObject({ status: 201, message: 'the answer was cut off: socket hang up' });
  });

  it('refuses a success in a shape the API does not define as UnexpectedAnswerError', async () => {
    const server = stub(() => Response.json({ state: 'PRESENT' }, { status: 201 }));
    const failure = await new EdpClient({ url: 'http://edge.test', fetch: server.fetch })
      .claimFile('t1', 'libs/a.bin', TX_FILE.checksum)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnexpectedAnswerError);
    expect(failure).toMatchObject({ status: 201, text: '{"state":"PRESENT"}' });
  });

  it('tells a new file (201) from one that was already there (200)', async () => {
    const client = (status: number) => new EdpClient({ url: 'http://edge.test', fetch: stub(() => Response.json(TX_FILE, { status })).fetch });
    expect(await client(201).claimFile('t1', 'libs/a.bin', TX_FILE.checksum)).toEqual({ file: TX_FILE, created: true });
    expect(await client(200).uploadFile('t1', 'libs/a.bin', 'abc', { sha256: TX_FILE.checksum, size: 3 })).toEqual({ file: TX_FILE, created: false });
  });
});
