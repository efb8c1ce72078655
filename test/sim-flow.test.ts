import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedBundle, distribute, download, settle, sha256, SOURCE_FILES, startFlow, type Flow } from './sim-platform-kit.ts';

describe('the full flow over real sockets: source → Distribution → two Edges', () => {
  let flow: Flow;
  beforeAll(async () => {
    flow = await startFlow();
  });
  afterAll(() => flow?.close());

  it('propagates the key, distributes by country code to both Edges, serves the signed bytes, deletes from one', async () => {
    await createSignedBundle(flow, '1.0.0');
    const propagated = await flow.dist('POST', '/keys/gpg/propagate');
    expect(propagated.status).toBe(200);
    expect(propagated.json).toMatchObject({ report: { status: 'SUCCESS' } });

    const tracker = await distribute(flow, '1.0.0', ['US', 'DE']);
    expect(tracker.status, JSON.stringify(tracker)).toBe('Completed');
    expect(tracker.sites.map((s) => s.status)).toEqual(['Completed', 'Completed']);
    expect(tracker.sites.every((s) => s.distributed_files === SOURCE_FILES.length && s.total_files === SOURCE_FILES.length)).toBe(true);

    for (const { edge } of flow.sites) {
      for (const file of SOURCE_FILES) {
        const got = await download(edge, `prod-local/${file.path}`);
        expect(got, file.path).toEqual({ status: 200, sha256: sha256(file.bytes) });
      }
      const props = await fetch(`${edge.art}/api/storage/prod-local/${SOURCE_FILES[0]?.path}?properties`, { headers: { authorization: edge.admin } });
      expect(await props.json()).toMatchObject({ properties: { release: ['1.0.0'], 'build.number': ['42'] } });
      const bundles = await fetch(`${edge.art}/api/release/bundles`, { headers: { authorization: edge.admin } });
      expect(await bundles.json()).toMatchObject({ bundles: { app: [{ version: '1.0.0', status: 'COMPLETE' }] } });
    }

    const deletion = await flow.dist('POST', '/distribution/app/1.0.0/delete', {
      dry_run: false,
      on_success: 'keep',
      distribution_rules: [{ country_codes: ['DE'] }],
    });
    expect(deletion.status, JSON.stringify(deletion.json)).toBe(202);
    const deleted = await settle(flow, '1.0.0', (deletion.json as { id: unknown }).id);
    expect(deleted.status).toBe('Completed');
    const [us, de] = flow.sites;
    expect((await download(de!.edge, `prod-local/${SOURCE_FILES[0]?.path}`)).status).toBe(404);
    expect((await download(us!.edge, `prod-local/${SOURCE_FILES[0]?.path}`)).status).toBe(200);
  });
});
