import { describe, expect, it } from 'vitest';
import { sha256 } from '../__fixtures__/bytes.ts';
import { connectionReset, times } from '../__fixtures__/fake-network.ts';
import { bundleSpec, keyUpload, platform, type SiteSpec, type SourceFile } from './__fixtures__/platform.ts';

const SITES: SiteSpec[] = [
  { name: 'US_NY_Edge', city: 'New York', country: 'US' },
  { name: 'US_SF_Edge', city: 'San Francisco', country: 'US' },
  { name: 'DE_Edge', city: 'Berlin', country: 'DE' },
];
const FILES: SourceFile[] = [
  { repoPath: 'libs-local/app/app-1.0.jar', bytes: Buffer.from('jar bytes for the app') },
  { repoPath: 'libs-local/app/readme.txt', bytes: Buffer.from('read me first') },
];
const TOTAL_BYTES = FILES.reduce((sum, f) => sum + f.bytes.length, 0);
const US = { distribution_rules: [{ country_codes: ['US'] }] };
const EDP_START = 'start transaction (POST /artifactory/api/edp/v1/transactions)';

/** A signed, stored bundle app/1.0 whose key is trusted by `trustedBy` Edges. */
async function ready(options: { trustedBy?: string[]; retry?: Parameters<typeof platform>[2] } = {}) {
  const p = await platform(SITES, FILES, options.retry);
  await p.call('POST', '/keys/gpg', keyUpload('main'));
  for (const name of options.trustedBy ?? SITES.map((s) => s.name)) p.edges.get(name)?.trusted.set('main', 'b4640ee9669cea3e');
  const created = await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'prod-local', { sign_immediately: true }));
  expect(created.status).toBe(201);
  return p;
}

type TrackerJson = {
  status: string;
  type: string;
  sites: {
    status: string;
    general_error?: string;
    attempts: number;
    distributed_files: number;
    distributed_bytes: number;
    file_errors: unknown[];
    target_artifactory: { name: string };
  }[];
};

async function distributed(p: Awaited<ReturnType<typeof ready>>, body: unknown = US) {
  const res = await p.call('POST', '/distribution/app/1.0', body);
  expect(res.status).toBe(202);
  await p.dist.idle();
  const { id } = res.json<{ id: number }>();
  return (await p.call('GET', `/release_bundle/app/1.0/distribution/${id}`)).json<TrackerJson>();
}

const site = (tracker: TrackerJson, name: string) => tracker.sites.find((s) => s.target_artifactory.name === name);

describe('distribute (jfrog-compat.md §3.6, §3.7)', () => {
  it('resolves sites by country code, answers 202 {id, sites}, and completes on each Edge', async () => {
    const p = await ready();
    const res = await p.call('POST', '/distribution/app/1.0', US);
    expect(res.status).toBe(202);
    expect(res.json()).toEqual({
      id: expect.any(Number),
      sites: [
        { service_id: 'jfrt@usnyedge', name: 'US_NY_Edge', type: 'edge' },
        { service_id: 'jfrt@ussfedge', name: 'US_SF_Edge', type: 'edge' },
      ],
    });
    await p.dist.idle();
    const id = res.json<{ id: number }>().id;
    const tracker = (await p.call('GET', `/release_bundle/app/1.0/distribution/${id}`)).json();
    expect(tracker).toEqual({
      distribution_id: id,
      distribution_friendly_id: 1,
      type: 'distribute',
      release_bundle_name: 'app',
      release_bundle_version: '1.0',
      status: 'Completed',
      distributed_by: 'admin',
      start_time: expect.any(String),
      finish_time: expect.any(String),
      distribution_rules: [{ site_name: '*', city_name: '*', country_codes: ['US'] }],
      sites: ['US_NY_Edge', 'US_SF_Edge'].map((name) => ({
        status: 'Completed',
        target_artifactory: { service_id: `jfrt@${name.toLowerCase().replace(/_/g, '')}`, name, type: 'edge' },
        total_files: 2,
        total_bytes: TOTAL_BYTES,
        distributed_bytes: TOTAL_BYTES,
        distributed_files: 2,
        file_errors: [],
        files_in_progress: [],
        attempts: 1,
      })),
    });
    expect([...(p.edges.get('US_NY_Edge')?.bundles ?? [])]).toEqual(['app/1.0']);
    expect(p.edges.get('DE_Edge')?.bundles.size).toBe(0);
    expect((await p.call('GET', '/release_bundle/app/1.0')).json()).toMatchObject({ distributed_by: 'admin' });
  });

  it('answers a dry run with 200 and the sites, and makes no tracker', async () => {
    const p = await ready();
    const res = await p.call('POST', '/distribution/app/1.0', { ...US, dry_run: true });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ sites: [expect.objectContaining({ name: 'US_NY_Edge' }), expect.objectContaining({ name: 'US_SF_Edge' })] });
    expect((await p.call('GET', '/release_bundle/app/1.0/distribution')).json()).toEqual([]);
    expect(p.source.pushes).toEqual([]);
  });

  it('refuses what cannot be distributed: no site 400, unsigned 409, unknown 404, bad rules 400, MC down 502', async () => {
    const p = await ready();
    await p.call('POST', '/release_bundle', bundleSpec('open', '1.0', 'libs-local', 'x'));
    const cases: [string, unknown, number, RegExp][] = [
      ['/distribution/app/1.0', { distribution_rules: [{ country_codes: ['FR'] }] }, 400, /resolve no Edge/],
      ['/distribution/open/1.0', US, 409, /OPEN: sign it/],
      ['/distribution/nope/1.0', US, 404, /does not exist/],
      ['/distribution/app/1.0', { distribution_rules: [] }, 400, /at least one edge/],
      ['/distribution/app/1.0', { distribution_rules: [{ country_codes: 'US' }] }, 400, /country_codes/],
      ['/distribution/app/1.0', undefined, 400, /JSON body/],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await p.call('POST', path, body);
      expect(res.status, path).toBe(status);
      expect(res.json<{ message: string }>().message).toMatch(message);
    }
    p.net.routes.delete('http://mc.test');
    expect((await p.call('POST', '/distribution/app/1.0', US)).json()).toMatchObject({ status_code: 502, message: 'Could not reach Mission Control.' });
  });

  it('fails a site at once on a permanent refusal, quoting the Edge, while the others complete', async () => {
    const p = await ready({ trustedBy: ['US_NY_Edge'] });
    const tracker = await distributed(p);
    expect(tracker.status).toBe('Failed');
    expect(site(tracker, 'US_NY_Edge')).toMatchObject({ status: 'Completed' });
    expect(site(tracker, 'US_SF_Edge')).toMatchObject({
      status: 'Failed',
      attempts: 1,
      distributed_files: 0,
      general_error: `${EDP_START}: Edge answered HTTP 403 EDP_UNTRUSTED_KEY: Bundle signing key b4640ee9669cea3e is not trusted.`,
    });
  });

  it('treats 401 from an Edge as permanent', async () => {
    const p = await ready();
    p.net.faults.push((r) =>
      r.url.startsWith('http://ussfedge.edge.test') ? Response.json({ errors: [{ status: 401, message: 'Bad credentials' }] }, { status: 401 }) : undefined,
    );
    const tracker = await distributed(p);
    expect(site(tracker, 'US_SF_Edge')).toMatchObject({
      status: 'Failed',
      attempts: 1,
      general_error: `${EDP_START}: Edge answered HTTP 401: Bad credentials`,
    });
  });

  it('retries a corrupted transfer, re-sending only the files still MISSING', async () => {
    const p = await ready();
    p.source.corruptNext('prod-local/app/readme.txt');
    const tracker = await distributed(p, { distribution_rules: [{ site_name: 'US_NY_Edge' }] });
    expect(tracker.sites[0]).toMatchObject({ status: 'Completed', attempts: 2, distributed_files: 2, file_errors: [] });
    expect(p.source.pushes.map((push) => push.files)).toEqual([['prod-local/app/app-1.0.jar', 'prod-local/app/readme.txt'], ['prod-local/app/readme.txt']]);
    expect(p.source.pushes.map((push) => push.transaction_id)).toEqual(['tx-1', 'tx-1']);
    expect(p.edges.get('US_NY_Edge')?.transactions.size).toBe(1);
  });

  it('retries resets and 5xx on the same transaction, with backoff from the injected policy', async () => {
    const waits: number[] = [];
    const p = await ready({ retry: { backoffMs: (n) => n * 100, sleep: async (ms) => void waits.push(ms) } });
    const onNy = (path: string) => (r: Request) => r.url.startsWith('http://usnyedge.edge.test') && r.url.endsWith(path);
    p.net.faults.push(times(1, onNy('/transactions'), () => connectionReset()));
    p.net.faults.push(times(1, onNy('/commit'), () => new Response('busy', { status: 503 })));
    const tracker = await distributed(p, { distribution_rules: [{ site_name: 'US_NY_Edge' }] });
    expect(tracker.sites[0]).toMatchObject({ status: 'Completed', attempts: 3, distributed_files: 2, distributed_bytes: TOTAL_BYTES });
    expect(waits).toEqual([100, 200]);
    expect(p.edges.get('US_NY_Edge')?.transactions.size).toBe(1);
    expect(p.source.pushes).toHaveLength(1);
  });

  it('learns that a commit whose answer was lost went through', async () => {
    const p = await ready();
    const ny = p.edges.get('US_NY_Edge');
    p.net.faults.push(
      times(
        1,
        (r) => r.url.endsWith('/commit'),
        async (r) => {
          await ny?.app.fetch(r);
          return connectionReset();
        },
      ),
    );
    const tracker = await distributed(p, { distribution_rules: [{ site_name: 'US_NY_Edge' }] });
    expect(tracker.sites[0]).toMatchObject({ status: 'Completed', attempts: 2, distributed_files: 2 });
  });

  it('gives up after the configured retries, saying what the Edge answered last', async () => {
    const p = await ready({ retry: { retries: 2 } });
    p.net.faults.push((r) =>
      r.url.endsWith('/commit')
        ? Response.json({ errors: [{ status: 503, message: 'Edge is read-only for maintenance', code: 'UNAVAILABLE' }] }, { status: 503 })
        : undefined,
    );
    const tracker = await distributed(p, { distribution_rules: [{ site_name: 'US_NY_Edge' }] });
    expect(tracker.sites[0]).toMatchObject({
      status: 'Failed',
      attempts: 3,
      distributed_files: 2,
      general_error:
        'commit (POST /artifactory/api/edp/v1/transactions/tx-1/commit): Edge answered HTTP 503 UNAVAILABLE: Edge is read-only for maintenance (gave up after 3 attempts)',
    });
  });

  it("fails with the Edge's own words when a file keeps being refused", async () => {
    const p = await ready({ retry: { retries: 1 } });
    p.source.corruptNext('prod-local/app/readme.txt', 5);
    const tracker = await distributed(p, { distribution_rules: [{ site_name: 'US_NY_Edge' }] });
    expect(tracker.sites[0]).toMatchObject({
      status: 'Failed',
      attempts: 2,
      distributed_files: 1,
      file_errors: [
        {
          repo_path: 'prod-local/app/readme.txt',
          status: 409,
          code: 'EDP_CHECKSUM_MISMATCH',
          message: expect.stringContaining(`expected ${sha256('read me first')}`),
        },
      ],
      general_error: expect.stringMatching(
        /^upload of prod-local\/app\/readme.txt \(pushed by the source Artifactory\): Edge answered HTTP 409 EDP_CHECKSUM_MISMATCH: .* \(gave up after 2 attempts\)$/,
      ),
    });
  });

  it('lists trackers by all, name and version; unknown ids are 404', async () => {
    const p = await ready();
    await distributed(p);
    await distributed(p, { distribution_rules: [{ country_codes: ['DE'] }] });
    expect((await p.call('GET', '/release_bundle/distribution')).json<unknown[]>()).toHaveLength(2);
    expect(
      (await p.call('GET', '/release_bundle/app/distribution')).json<{ distribution_friendly_id: number }[]>().map((t) => t.distribution_friendly_id),
    ).toEqual([1, 2]);
    expect((await p.call('GET', '/release_bundle/app/1.0/distribution')).json<unknown[]>()).toHaveLength(2);
    expect((await p.call('GET', '/release_bundle/app/1.0/distribution/123')).status).toBe(404);
    expect((await p.call('GET', '/release_bundle/nope/distribution')).status).toBe(404);
  });
});

describe('delete from Edges (jfrog-compat.md §3.8)', () => {
  it('defaults to a dry run, deletes per site, and with on_success "delete" removes the bundle locally', async () => {
    const p = await ready();
    await distributed(p);
    const dry = await p.call('POST', '/distribution/app/1.0/delete', { distribution_rules: [{ site_name: 'US_NY_Edge' }] });
    expect(dry.status).toBe(200);
    expect(p.edges.get('US_NY_Edge')?.bundles.size).toBe(1);

    const keep = await p.call('POST', '/distribution/app/1.0/delete', { dry_run: false, distribution_rules: [{ site_name: 'US_NY_Edge' }] });
    expect(keep.status).toBe(202);
    await p.dist.idle();
    const tracker = (await p.call('GET', `/release_bundle/app/1.0/distribution/${keep.json<{ id: number }>().id}`)).json<TrackerJson>();
    expect(tracker).toMatchObject({ type: 'delete_release_bundle_version', status: 'Completed', sites: [{ status: 'Completed', attempts: 1 }] });
    expect(p.edges.get('US_NY_Edge')?.bundles.size).toBe(0);
    expect(p.edges.get('US_SF_Edge')?.bundles.size).toBe(1);

    // An Edge without the bundle has nothing to delete: Completed, and on_success removes it here.
    const all = await p.call('POST', '/distribution/app/1.0/delete', { dry_run: false, distribution_rules: [{ country_codes: ['US'] }], on_success: 'delete' });
    expect(all.status).toBe(202);
    await p.dist.idle();
    expect(p.edges.get('US_SF_Edge')?.bundles.size).toBe(0);
    expect((await p.call('GET', '/release_bundle/app/1.0/distribution')).status).toBe(404);
    expect((await p.call('GET', '/release_bundle/app/1.0')).status).toBe(404);
  });

  it('keeps the bundle when a site fails, and says why', async () => {
    const p = await ready();
    await distributed(p);
    p.net.faults.push((r) =>
      r.method === 'DELETE' && r.url.startsWith('http://ussfedge')
        ? Response.json({ errors: [{ status: 403, message: 'Forbidden', code: 'FORBIDDEN' }] }, { status: 403 })
        : undefined,
    );
    const res = await p.call('POST', '/distribution/app/1.0/delete', { dry_run: false, distribution_rules: [{ country_codes: ['US'] }], on_success: 'delete' });
    await p.dist.idle();
    const tracker = (await p.call('GET', `/release_bundle/app/1.0/distribution/${res.json<{ id: number }>().id}`)).json<TrackerJson>();
    expect(tracker.status).toBe('Failed');
    expect(site(tracker, 'US_SF_Edge')?.general_error).toBe(
      'delete bundle (DELETE /artifactory/api/release/bundles/app/1.0): Edge answered HTTP 403 FORBIDDEN: Forbidden',
    );
    expect((await p.call('GET', '/release_bundle/app/1.0')).status).toBe(200);
    expect((await p.call('POST', '/distribution/app/1.0/delete', { dry_run: false, distribution_rules: [{}], on_success: 'later' })).status).toBe(400);
  });
});

describe('system (jfrog-compat.md §0.3)', () => {
  it('answers ping and info without credentials', async () => {
    const p = await platform([], []);
    expect(await (await p.dist.app.request('/distribution/api/v1/system/ping')).json()).toEqual({ status_code: 200, message: 'ok' });
    expect(await (await p.dist.app.request('/distribution/api/v1/system/info')).json()).toEqual({
      status: 'STABLE',
      version: '2.24.0',
      service_id: p.dist.serviceId,
    });
    expect(p.dist.serviceId).toMatch(/^jfds@[0-9a-z]{26}$/);
    const unknown = await p.call('GET', '/nothing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({ status_code: 404, message: 'No resource at /distribution/api/v1/nothing/here.' });
  });
});
