import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PASSPHRASE, fixturePublicKey, fixtureSecretKey } from '../../fixtures/keys/index.ts';
import { readTrustedKey } from '../../protocol/bundle/index.ts';
import { sha256 } from '../__fixtures__/bytes.ts';
import { bundleSpec, keyUpload, platform, type SourceFile } from './__fixtures__/platform.ts';

const FILES: SourceFile[] = [
  { repoPath: 'libs-local/app/app-1.0.jar', bytes: Buffer.from('jar bytes'), props: { 'build.name': ['app'], 'secret.token': ['x'] } },
  { repoPath: 'libs-local/app/readme.txt', bytes: Buffer.from('read me') },
  { repoPath: 'docs-local/guide.pdf', bytes: Buffer.from('%PDF guide') },
];

async function withKey(files = FILES) {
  const p = await platform([], files);
  await p.call('POST', '/keys/gpg', keyUpload('main'));
  return p;
}

describe('release bundles (jfrog-compat.md §3.1–§3.4)', () => {
  it('creates from AQL with mappings, added props and excluded props; 201 OPEN', async () => {
    const p = await withKey();
    const res = await p.call(
      'POST',
      '/release_bundle',
      bundleSpec('app', '1.0', 'libs-local', 'prod-local', {
        release_notes: { syntax: 'markdown', content: '# notes' },
        spec: {
          queries: [
            {
              aql: 'items.find({"repo":"libs-local"})',
              query_name: 'libs',
              mappings: [{ input: 'libs-local/app/(.*)\\.jar', output: 'prod-local/jars/$1.jar' }],
              added_props: [{ key: 'build.name', values: ['release'] }],
              exclude_props_patterns: ['secret.*'],
            },
          ],
        },
      }),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('x-checksum-sha256')).toBeNull();
    expect(res.json()).toMatchObject({
      name: 'app',
      version: '1.0',
      state: 'OPEN',
      storing_repository: 'release-bundles',
      description: 'bundle app',
      release_notes: { syntax: 'markdown', content: '# notes' },
      created_by: 'admin',
      archived: false,
      artifacts_size: 16,
      artifacts: [
        {
          sourceRepoPath: 'libs-local/app/app-1.0.jar',
          targetRepoPath: 'prod-local/jars/app-1.0.jar',
          checksum: sha256('jar bytes'),
          props: [{ key: 'build.name', values: ['app', 'release'] }],
        },
        {
          sourceRepoPath: 'libs-local/app/readme.txt',
          targetRepoPath: 'libs-local/app/readme.txt',
          checksum: sha256('read me'),
          props: [{ key: 'build.name', values: ['release'] }],
        },
      ],
      spec: { queries: [{ query_name: 'libs', query_type: 'AQL', exclude_props_patterns: ['secret.*'] }] },
    });
    expect(p.net.calls).toContain('POST http://source.test/artifactory/api/search/aql');
  });

  it('answers a dry run with 200 and keeps nothing', async () => {
    const p = await withKey();
    const res = await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'prod-local', { dry_run: true, sign_immediately: true }));
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ state: 'OPEN', artifacts: [{ targetRepoPath: 'prod-local/app/app-1.0.jar' }, {}] });
    expect((await p.call('GET', '/release_bundle')).json()).toEqual([]);
    expect(p.source.stored.size).toBe(0);
  });

  it('signs with the default key: JWS RS256 over the target paths, stored on the source, READY_FOR_DISTRIBUTION', async () => {
    const p = await withKey();
    await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'prod-local'));
    const signed = await p.call('POST', '/release_bundle/app/1.0/sign', { storing_repository: 'my-bundles' });
    expect(signed.status).toBe(200);
    expect(signed.json()).toMatchObject({
      state: 'READY_FOR_DISTRIBUTION',
      storing_repository: 'my-bundles',
      artifacts: [{ sourceRepoPath: 'my-bundles/app/1.0/libs-local/app/app-1.0.jar' }, {}],
    });
    const jws = p.dist.state.bundles.get('app/1.0')?.jws ?? '';
    expect(signed.headers.get('x-checksum-sha256')).toBe(sha256(jws));

    const key = await readTrustedKey(fixturePublicKey('bundle-signing'), Date.now());
    const { payload, protectedHeader } = await compactVerify(jws, await importJWK(key.jwk, 'RS256'));
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: key.kid });
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      name: 'app',
      version: '1.0',
      type: 'release_bundle_v1',
      description: 'bundle app',
      artifacts: [
        {
          repo_path: 'prod-local/app/app-1.0.jar',
          checksum: sha256('jar bytes'),
          size: 9,
          props: [
            { key: 'build.name', values: ['app'] },
            { key: 'secret.token', values: ['x'] },
            { key: 'release', values: ['1.0'] },
          ],
        },
        { repo_path: 'prod-local/app/readme.txt', checksum: sha256('read me'), size: 7 },
      ],
    });
    expect(p.source.stored.get('app/1.0')).toMatchObject({
      jws,
      artifacts: [{ source_repo_path: 'libs-local/app/app-1.0.jar', target_repo_path: 'prod-local/app/app-1.0.jar', checksum: sha256('jar bytes') }, {}],
    });
    const asJws = (await p.call('GET', '/release_bundle/app/1.0?format=jws')).json();
    expect(Object.values(asJws).join('.')).toBe(jws);
    expect(Object.keys(asJws)).toEqual(['header', 'payload', 'signature']);
    expect((await p.call('POST', '/release_bundle/app/1.0/sign')).status).toBe(409);
    expect((await p.call('PUT', '/release_bundle/app/1.0', bundleSpec('x', 'y', 'docs-local', 'd'))).status).toBe(409);
  });

  it('signs immediately on create (201 + X-Checksum-Sha256), with X-GPG-PASSPHRASE for a protected key', async () => {
    const p = await platform([], FILES);
    await p.call('POST', '/keys/gpg', {
      key: { alias: 'locked', public_key: fixturePublicKey('passphrase-signing'), private_key: fixtureSecretKey('passphrase-signing') },
      set_as_default: true,
    });
    const body = bundleSpec('app', '2.0', 'docs-local', 'docs', { sign_immediately: true });
    const missing = await p.call('POST', '/release_bundle', body);
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ status_code: 400, message: expect.stringContaining('X-GPG-PASSPHRASE') });
    expect((await p.call('POST', '/release_bundle', body, { 'X-GPG-PASSPHRASE': 'wrong' })).status).toBe(400);
    expect(p.dist.state.bundles.size).toBe(0);
    const res = await p.call('POST', '/release_bundle', body, { 'X-GPG-PASSPHRASE': FIXTURE_PASSPHRASE });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-checksum-sha256')).toBe(sha256(p.dist.state.bundles.get('app/2.0')?.jws ?? ''));
    expect(res.json()).toMatchObject({ state: 'READY_FOR_DISTRIBUTION' });
  });

  it('updates while OPEN (200), lists, gets by name and LATEST, deletes locally (204)', async () => {
    const p = await withKey();
    await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'a'));
    await p.call('POST', '/release_bundle', bundleSpec('app', '1.1', 'libs-local', 'a'));
    const updated = await p.call('PUT', '/release_bundle/app/1.0', {
      ...bundleSpec('', '', 'docs-local', 'docs'),
      name: undefined,
      version: undefined,
      description: 'now docs',
    });
    expect(updated.status).toBe(200);
    expect(updated.json()).toMatchObject({ description: 'now docs', artifacts: [{ targetRepoPath: 'docs/guide.pdf' }] });
    expect((await p.call('GET', '/release_bundle')).json<unknown[]>()).toHaveLength(2);
    expect((await p.call('GET', '/release_bundle/app')).json<{ version: string }[]>().map((b) => b.version)).toEqual(['1.0', '1.1']);
    expect((await p.call('GET', '/release_bundle/app/LATEST')).json()).toMatchObject({ version: '1.1' });
    expect((await p.call('GET', '/release_bundle/app/1.0?format=jws')).status).toBe(409);
    expect((await p.call('GET', '/release_bundle/app/1.0?format=xml')).status).toBe(400);
    expect((await p.call('DELETE', '/release_bundle/app/1.0')).status).toBe(204);
    expect((await p.call('GET', '/release_bundle/app/1.0')).status).toBe(404);
    expect((await p.call('GET', '/release_bundle/nope')).status).toBe(404);
  });

  it("refuses bad input with 4xx in Distribution's error shape", async () => {
    const p = await withKey();
    await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'a'));
    const cases: [unknown, number, RegExp][] = [
      ['{oops', 400, /not valid JSON/],
      [undefined, 400, /JSON body is required/],
      [bundleSpec('-bad', '1.0', 'libs-local', 'a'), 400, /name/],
      [bundleSpec('app', 'latest', 'libs-local', 'a'), 400, /LATEST/],
      [bundleSpec('app', '1', 'libs-local', 'a'), 400, /version/],
      [{ ...bundleSpec('app', '2.0', 'libs-local', 'a'), spec: { queries: [] } }, 400, /at least one query/],
      [
        { ...bundleSpec('app', '2.0', 'libs-local', 'a'), spec: { queries: [{ aql: 'x', mappings: [{ input: '(', output: '' }] }] } },
        400,
        /regular expression/,
      ],
      // Valid without the u flag, invalid with it: refused up front, never a 500 later.
      [
        { ...bundleSpec('app', '2.0', 'libs-local', 'a'), spec: { queries: [{ aql: 'x', mappings: [{ input: 'a\\-b', output: '' }] }] } },
        400,
        /regular expression/,
      ],
      [{ ...bundleSpec('app', '2.0', 'libs-local', 'a'), spec: { queries: [{ aql: 'x', query_name: '1x' }] } }, 400, /query_name/],
      [{ ...bundleSpec('app', '2.0', 'libs-local', 'a'), spec: { queries: [{ aql: 'x', query_type: 'SIMPLE' }] } }, 400, /only AQL/],
      [{ ...bundleSpec('app', '2.0', 'libs-local', 'a'), release_notes: { syntax: 'html', content: '' } }, 400, /syntax/],
      [
        {
          ...bundleSpec('app', '2.0', 'libs-local', 'a'),
          spec: { queries: [{ aql: 'items.find({"repo":"libs-local"})', mappings: [{ input: '(.*)', output: '../$1' }] }] },
        },
        400,
        /mapping/,
      ],
      [
        {
          ...bundleSpec('app', '2.0', 'libs-local', 'a'),
          spec: { queries: [{ aql: 'items.find({"repo":"libs-local"})', mappings: [{ input: 'libs-local/app/.*', output: 'one/file' }] }] },
        },
        400,
        /Two files map to one\/file/,
      ],
      [bundleSpec('app', '2.0', 'empty-local', 'a'), 400, /matched no files/],
      [bundleSpec('app', '1.0', 'libs-local', 'a'), 409, /already exists/],
    ];
    for (const [body, status, message] of cases) {
      const res = await p.call('POST', '/release_bundle', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json()).toEqual({ status_code: status, message: expect.stringMatching(message) });
    }
    expect((await p.call('POST', '/release_bundle', bundleSpec('app', '3.0', 'libs-local', 'a'), { authorization: 'Basic eDp5' })).status).toBe(401);
  });

  it('says what the source answered: refused AQL is 400, a broken or absent source 502', async () => {
    const p = await withKey();
    p.net.faults.push((r) =>
      r.url.endsWith('/search/aql') ? Response.json({ errors: [{ status: 400, message: 'Failed to parse query' }] }, { status: 400 }) : undefined,
    );
    const refused = await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'a'));
    expect(refused.json()).toEqual({
      status_code: 400,
      message: 'the source Artifactory refused the AQL of query "query-0".',
      detail: 'HTTP 400: Failed to parse query',
    });
    p.net.faults.length = 0;
    p.net.routes.delete('http://source.test');
    const down = await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'a'));
    expect(down.status).toBe(502);
    expect(down.json()).toMatchObject({ message: 'Could not reach the source Artifactory.', detail: expect.stringContaining('ECONNRESET') });
  });

  it('keeps a bundle SIGNED when storing fails, and stores it with the same JWS on the next sign', async () => {
    const p = await withKey();
    await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'a'));
    p.net.faults.push((r) => (r.url.endsWith('/release/bundles/store') ? new Response('disk full', { status: 507 }) : undefined));
    const failed = await p.call('POST', '/release_bundle/app/1.0/sign');
    expect(failed.json()).toEqual({
      status_code: 502,
      message: 'the source Artifactory could not store release bundle app/1.0.',
      detail: 'HTTP 507: disk full',
    });
    const jws = p.dist.state.bundles.get('app/1.0')?.jws;
    expect((await p.call('GET', '/release_bundle/app/1.0')).json()).toMatchObject({ state: 'SIGNED' });
    p.net.faults.length = 0;
    const retried = await p.call('POST', '/release_bundle/app/1.0/sign');
    expect(retried.status).toBe(200);
    expect(p.source.stored.get('app/1.0')?.jws).toBe(jws);
  });

  it('refuses to sign without a default key', async () => {
    const p = await platform([], FILES);
    await p.call('POST', '/release_bundle', bundleSpec('app', '1.0', 'libs-local', 'a'));
    const res = await p.call('POST', '/release_bundle/app/1.0/sign');
    expect(res.status).toBe(400);
    expect(res.text).toContain('no default GPG signing key');
  });
});
