import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type RunningEdge } from './edge-harness.ts';
import { requestIdOf } from './edge-calls.ts';
import { commit, createRepo, fixtureSigningKey, makeBundle, sha256, start, trustFixtureKey, uploadFile, type BundleFile } from './bundle-kit.ts';
import { captureLog, type LogCapture } from './log-capture.ts';

/**
 * EDGE-OPS-5: distribution as the operator's log tells it, at info: key trusted, transaction
 * opened, each file verified, bundle committed, and refusals with their EDP code, each line
 * under the id of the request that caused it.
 */

let edge: RunningEdge;
let log: LogCapture;

beforeAll(async () => {
  log = captureLog('info');
  edge = await startEdge({}, { logger: log.logger });
  await createRepo(edge, 'events-local');
});
afterAll(() => edge.close());

const files: BundleFile[] = [
  { repoPath: 'events-local/app/a.bin', bytes: Buffer.from('a bytes') },
  { repoPath: 'events-local/app/b.bin', bytes: Buffer.from('b bytes') },
];
const line = (msg: string, extra: (r: Record<string, unknown>) => boolean = () => true) => log.waitFor((r) => r.msg === msg && extra(r), msg);

describe('EDGE-OPS-5: distribution events', () => {
  it('EDGE-OPS-5: a bundle from trust to commit, each step one info line under its request id', async () => {
    const kid = await trustFixtureKey(edge);
    expect(await line('bundle signing key trusted')).toMatchObject({ level: 30, kid, alias: 'bundle-signing', fingerprint: expect.any(String) });

    const bundle = await makeBundle('events', '1.0', files);
    const started = await start(edge, bundle.jws);
    expect(started.status).toBe(201);
    const txId = (started.json() as { id: string }).id;
    expect(await line('distribution transaction opened')).toMatchObject({
      level: 30,
      requestId: requestIdOf(started),
      txId,
      bundle: 'events/1.0',
      files: 2,
      kid,
      by: 'admin',
    });

    for (const file of files) {
      const uploaded = await uploadFile(edge, txId, file);
      expect(uploaded.status).toBe(201);
      expect(await line('distribution file verified', (r) => r.repoPath === file.repoPath)).toMatchObject({
        level: 30,
        requestId: requestIdOf(uploaded),
        txId,
        sha256: sha256(file.bytes),
        size: file.bytes.length,
      });
    }
    const committed = await commit(edge, txId);
    expect(committed.status).toBe(200);
    expect(await line('release bundle committed')).toMatchObject({
      level: 30,
      requestId: requestIdOf(committed),
      txId,
      bundle: 'events/1.0',
      totalSize: 14,
      kid,
    });
  });

  it('EDGE-OPS-5: refusals name their step and EDP code', async () => {
    const untrusted = await makeBundle('events', '2.0', files, await fixtureSigningKey('untrusted-signing'));
    const refused = await start(edge, untrusted.jws);
    expect(refused.status).toBe(403);
    expect(await line('distribution refused', (r) => r.requestId === requestIdOf(refused))).toMatchObject({
      level: 30,
      step: 'start',
      code: 'EDP_UNTRUSTED_KEY',
      reason: expect.any(String),
    });

    // Bytes the Edge does not hold yet, so they must be sent.
    const file: BundleFile = { repoPath: 'events-local/app/c.bin', bytes: Buffer.from('c bytes') };
    const other = await makeBundle('events', '3.0', [file]);
    const txId = ((await start(edge, other.jws)).json() as { id: string }).id;
    const mismatch = await uploadFile(edge, txId, file, { bytes: Buffer.from('C BYTES'), sha256: sha256(file.bytes) });
    expect(mismatch.status).toBe(409);
    expect(await line('distribution refused', (r) => r.requestId === requestIdOf(mismatch))).toMatchObject({
      step: 'upload',
      code: 'EDP_CHECKSUM_MISMATCH',
      txId,
      repoPath: file.repoPath,
    });

    const incomplete = await commit(edge, txId);
    expect(incomplete.status).toBe(409);
    expect(await line('distribution refused', (r) => r.requestId === requestIdOf(incomplete))).toMatchObject({ step: 'commit', code: 'EDP_INCOMPLETE', txId });
  });
});
