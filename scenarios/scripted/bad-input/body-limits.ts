import { baseline, expectError, expectRefusedUnchanged, expectStatus, leftoverStagedFiles, snapshot } from '../../kit/assertions.ts';
import { answeredWhileBodyOpen, sentHeld, streamedBody } from '../../kit/bodies.ts';
import { NotApplicable, type ScenarioContext } from '../../kit/context.ts';
import { expect } from '../../kit/expect.ts';
import type { RawResponse } from '../../kit/http.ts';
import { scenario } from '../../kit/scenario.ts';
import { UPLOADS_REPO as UPLOADS } from '../../kit/world.ts';
import { itemWorld } from './item-world.ts';

/**
 * EDGE-IN-6: a body over its limit is refused with 413 BODY_TOO_LARGE, at once when the
 * declared length is over, as soon as the streamed bytes pass it otherwise, and no partial file
 * remains. No Artifactory API tells an Edge's limits: a declared length beyond any limit an Edge
 * can have (2^62 bytes) is refused whatever they are, while the scenarios that stream just past
 * a limit, or send exactly as much as it allows, need the target to know it
 * (`EdgeUnderTest.limits`) and it to be small enough to send here (decision 0014).
 */

/** Past `Number.MAX_SAFE_INTEGER`, the largest limit an Edge's configuration can hold. */
const BEYOND_ANY_LIMIT = 2 ** 62;
/** The largest limit a scenario streams past; beyond it the scenario is not applicable. */
const SENDABLE = 64 * 1024 * 1024;

type LimitName = 'maxUploadBytes' | 'maxJsonBytes';

function knownLimit(t: ScenarioContext, name: LimitName): number | undefined {
  return t.edge.limits?.[name];
}

/** The limit, when the target knows it and it is small enough to send past. */
function sendableLimit(t: ScenarioContext, name: LimitName): number {
  const limit = knownLimit(t, name);
  if (limit === undefined) throw new NotApplicable(`the target does not know the Edge's ${name}`);
  if (limit > SENDABLE) throw new NotApplicable(`the Edge's ${name} (${limit} bytes) is more than this scenario sends (${SENDABLE})`);
  return limit;
}

/** Names the upload limit when the target knows it (edgeproof's message does). */
function uploadLimitMessage(t: ScenarioContext): RegExp {
  const limit = knownLimit(t, 'maxUploadBytes');
  return limit === undefined ? /larger than the limit/ : new RegExp(`${limit} bytes`);
}

/** Streams JSON of `bytes` bytes in all: `{"props":{"fill":"xxx…"}}`. */
function jsonOfSize(bytes: number): string {
  const prefix = JSON.stringify({ props: { fill: '' } });
  return JSON.stringify({ props: { fill: 'x'.repeat(bytes - prefix.length) } });
}

async function* chunksOf(text: string, chunk = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let i = 0; i < text.length; i += chunk) yield Buffer.from(text.slice(i, i + chunk));
}

/** Refused with 413, nothing the request streamed is left behind, and nothing else changed. */
async function expectTooLargeUnchanged(t: ScenarioContext, send: () => Promise<RawResponse>, message: RegExp): Promise<void> {
  const before = await snapshot(t);
  expectError(await send(), 413, 'BODY_TOO_LARGE', message);
  expect(await leftoverStagedFiles(t), 'staged files left behind').toEqual([]);
  expect(await snapshot(t)).toEqual(before);
}

export const bodyLimitScenarios = [
  scenario({
    id: 'bad-input/declared-upload-over-the-limit',
    title: 'an artifact whose declared Content-Length is over the limit is refused with 413 before its body is sent, and nothing remains',
    requirements: ['EDGE-IN-6'],
    async run(t) {
      const folder = await itemWorld(t);
      const declared = (knownLimit(t, 'maxUploadBytes') ?? BEYOND_ANY_LIMIT - 1) + 1;
      await expectTooLargeUnchanged(
        t,
        () =>
          answeredWhileBodyOpen(
            (body) => t.http('PUT', `/artifactory/${UPLOADS}/${folder}/big/declared.bin`, { headers: { 'content-length': declared }, body }),
            {
              bytes: 10,
              chunk: 10,
            },
          ),
        uploadLimitMessage(t),
      );
    },
  }),
  scenario({
    id: 'bad-input/declared-json-over-the-limit',
    title: 'JSON whose declared Content-Length is over the limit is refused with 413 before its body is sent, and nothing is created',
    requirements: ['EDGE-IN-6'],
    async run(t) {
      const declared = (knownLimit(t, 'maxJsonBytes') ?? BEYOND_ANY_LIMIT - 1) + 1;
      await expectTooLargeUnchanged(
        t,
        () =>
          answeredWhileBodyOpen(
            (body) =>
              t.http('PUT', `/artifactory/api/repositories/${t.name('big-json')}`, {
                headers: { 'content-type': 'application/json', 'content-length': declared },
                body,
              }),
            { bytes: 10, chunk: 10 },
          ),
        /larger than the limit/,
      );
    },
  }),
  scenario({
    id: 'bad-input/json-over-the-limit',
    title: 'JSON over maxJsonBytes, with or without a Content-Length, on repository create and PATCH metadata is refused with 413, and nothing changes',
    requirements: ['EDGE-IN-6'],
    async run(t) {
      const limit = sendableLimit(t, 'maxJsonBytes');
      const folder = await itemWorld(t);
      const repoJson = JSON.stringify({ rclass: 'local', description: 'x'.repeat(limit) });
      const json = { 'content-type': 'application/json' };
      const sends: [string, () => Promise<RawResponse>][] = [
        ['repository create', () => t.http('PUT', `/artifactory/api/repositories/${t.name('big-json')}`, { headers: json, body: repoJson })],
        ['PATCH metadata', () => t.http('PATCH', `/artifactory/api/metadata/${UPLOADS}/${folder}/dir/a.txt`, { headers: json, body: jsonOfSize(limit + 1) })],
        [
          'repository create, chunked (no Content-Length)',
          () => t.http('PUT', `/artifactory/api/repositories/${t.name('big-json')}`, { headers: json, body: chunksOf(repoJson) }),
        ],
      ];
      const unchanged = await baseline(t);
      for (const [what, send] of sends) await t.step(what, () => unchanged.refused(send, 413, 'BODY_TOO_LARGE', /larger than the limit/));
    },
  }),
  scenario({
    id: 'bad-input/json-of-exactly-the-limit-accepted',
    title: 'JSON of exactly maxJsonBytes is accepted (boundary)',
    requirements: ['EDGE-IN-6'],
    async run(t) {
      const limit = sendableLimit(t, 'maxJsonBytes');
      const folder = await itemWorld(t);
      const text = jsonOfSize(limit);
      expect(Buffer.byteLength(text)).toBe(limit);
      await expectStatus(
        t.http('PATCH', `/artifactory/api/metadata/${UPLOADS}/${folder}/dir/sub/b.txt`, { headers: { 'content-type': 'application/json' }, body: text }),
        204,
      );
    },
  }),
  scenario({
    id: 'bad-input/streamed-upload-over-the-limit',
    title: 'a chunked artifact is refused with 413 as soon as the streamed bytes pass maxUploadBytes, and no partial file remains',
    requirements: ['EDGE-IN-6'],
    async run(t) {
      const limit = sendableLimit(t, 'maxUploadBytes');
      const folder = await itemWorld(t);
      // A little more than the limit sent, then the body is held open: the answer must not wait for its end.
      const opening = { bytes: limit + 200, chunk: Math.max(100, Math.ceil(limit / 10)) };
      await expectTooLargeUnchanged(
        t,
        () => answeredWhileBodyOpen((body) => t.http('PUT', `/artifactory/${UPLOADS}/${folder}/big/chunked.bin`, { body }), opening),
        uploadLimitMessage(t),
      );
    },
  }),
  scenario({
    id: 'bad-input/streamed-upload-one-byte-over-the-limit',
    title: 'a chunked artifact of maxUploadBytes + 1 is refused with 413, and no partial file remains',
    requirements: ['EDGE-IN-6'],
    async run(t) {
      const limit = sendableLimit(t, 'maxUploadBytes');
      const folder = await itemWorld(t);
      await expectTooLargeUnchanged(
        t,
        () => t.http('PUT', `/artifactory/${UPLOADS}/${folder}/big/one-over.bin`, { body: streamedBody(limit + 1, 143, 0x62) }),
        uploadLimitMessage(t),
      );
    },
  }),
  scenario({
    id: 'bad-input/refused-upload-keeps-the-stored-file',
    title: 'an upload refused for its size does not replace what was stored at the same path',
    requirements: ['EDGE-IN-6'],
    async run(t) {
      const limit = sendableLimit(t, 'maxUploadBytes');
      const folder = await itemWorld(t);
      const kept = `/artifactory/${UPLOADS}/${folder}/big/kept.bin`;
      await expectStatus(t.http('PUT', kept, { body: 'original' }), 201);
      await t.step('with a Content-Length', () =>
        // The Edge answers on the declared length, before the body: a client still writing it
        // through a proxy (Docker's) would see EPIPE instead of the answer, so it waits for it.
        expectRefusedUnchanged(t, () => sentHeld(t, 'PUT', kept, Buffer.alloc(limit + 1, 0x63)), 413, 'BODY_TOO_LARGE', uploadLimitMessage(t)),
      );
      await t.step('chunked', () =>
        expectRefusedUnchanged(t, () => t.http('PUT', kept, { body: streamedBody(limit + 1, 4096, 0x63) }), 413, 'BODY_TOO_LARGE', uploadLimitMessage(t)),
      );
      expect((await t.http('GET', kept)).text).toBe('original');
    },
  }),
  scenario({
    id: 'bad-input/upload-of-exactly-the-limit-accepted',
    title: 'an artifact of exactly maxUploadBytes is accepted, chunked or not, and nothing staged remains (boundary)',
    requirements: ['EDGE-IN-6'],
    async run(t) {
      const limit = sendableLimit(t, 'maxUploadBytes');
      const folder = await itemWorld(t);
      await expectStatus(t.http('PUT', `/artifactory/${UPLOADS}/${folder}/big/exact.bin`, { body: Buffer.alloc(limit, 0x64) }), 201);
      const res = await expectStatus(
        t.http('PUT', `/artifactory/${UPLOADS}/${folder}/big/exact-chunked.bin`, { body: streamedBody(limit, Math.ceil(limit / 10), 0x65) }),
        201,
      );
      expect(res.json()).toMatchObject({ size: String(limit) });
      expect(await leftoverStagedFiles(t)).toEqual([]);
    },
  }),
];
