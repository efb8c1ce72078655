import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsOf, filestoreFiles, startEdge, type RunningEdge } from './edge-harness.ts';
import { commit, createRepo, makeBundle, sha256, start, trustFixtureKey, uploadFile } from './bundle-kit.ts';

/**
 * EDP-TX-8, EDP-TX-10 on this Edge's disk: staged bytes that vanish from the filestore (a restored
 * backup, a failed drive) are asked for again. The other EDP tests became conformance scenarios
 * (scenarios/scripted/edp/); this one removes a blob from the data directory, which only a test
 * of this implementation can do.
 */
describe('staged bytes that vanished from the filestore', () => {
  let edge: RunningEdge;

  beforeAll(async () => {
    edge = await startEdge();
    await trustFixtureKey(edge);
    await createRepo(edge, 'prod-local');
  });
  afterAll(() => edge.close());

  it('EDP-TX-8, EDP-TX-10: the refused commit lists them with the files never sent', async () => {
    const sent = { repoPath: 'prod-local/vanish/sent.bin', bytes: Buffer.from(`sent ${sha256('vanish')}`) };
    const unsent = { repoPath: 'prod-local/vanish/unsent.bin', bytes: Buffer.from('never sent') };
    const bundle = await makeBundle('vanish', '1.0', [sent, unsent]);
    const id = ((await start(edge, bundle.jws)).json() as { id: string }).id;
    expect((await uploadFile(edge, id, sent)).status).toBe(201);
    const blob = (await filestoreFiles(edge.dataDir)).find((f) => f.endsWith(sha256(sent.bytes)));
    await rm(join(edge.dataDir, 'filestore', blob as string));
    const res = await commit(edge, id);
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ errors: [{ code: 'EDP_INCOMPLETE', missing: [sent.repoPath, unsent.repoPath] }] });
    const status = await clientsOf(edge).edp.status(id);
    expect(status.files.map((f) => f.state)).toEqual(['MISSING', 'MISSING']);
  });
});
