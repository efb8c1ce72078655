import { beforeEach, describe, expect, it } from 'vitest';
import { checksumsOf } from '../../protocol/checksums.ts';
import { STORING_REPO } from './store.ts';
import { errorOf, T0, testSource, type TestSource } from './__fixtures__/test-source.ts';

const JAR = 'jar content';
const POM = 'pom content';
// The source keeps the JWS opaque (the Edge verifies it), so any compact-looking string does here.
const JWS = 'eyJhbGciOiJSUzI1NiJ9.eyJuYW1lIjoiYXBwIn0.c2ln';

function storeBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'app-bundle',
    version: '1.0',
    jws: JWS,
    artifacts: [
      {
        source_repo_path: 'libs/org/app.jar',
        target_repo_path: 'generic-local/app/app.jar',
        checksum: checksumsOf(JAR).sha256,
        props: [{ key: 'release', values: ['1.0'] }],
      },
      { source_repo_path: 'libs/org/app.pom', target_repo_path: 'generic-local/app/app.pom', checksum: checksumsOf(POM).sha256 },
    ],
    ...overrides,
  };
}

describe('source: storing signed bundles (our design; jfrog-compat.md §3.4, §3.10)', () => {
  let src: TestSource;
  const store = (body: unknown) => src.call('POST', '/artifactory/api/release/bundles/store', { body: JSON.stringify(body) });
  beforeEach(async () => {
    src = testSource();
    await src.repo('libs');
    await src.deploy('libs/org/app.jar;origin=ci', JAR);
    await src.deploy('libs/org/app.pom', POM);
  });

  it('clones each source item into release-bundles/<name>/<version>/<target_repo_path> and keeps the JWS', async () => {
    src.clock.now = T0 + 5000;
    const res = await store(storeBody());
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      name: 'app-bundle',
      version: '1.0',
      created: new Date(T0 + 5000).toISOString(),
      storing_repository: 'release-bundles',
      artifacts: [
        {
          repo_path: 'generic-local/app/app.jar',
          checksum: checksumsOf(JAR).sha256,
          size: JAR.length,
          props: [{ key: 'release', values: ['1.0'] }],
          stored_path: 'release-bundles/app-bundle/1.0/generic-local/app/app.jar',
        },
        {
          repo_path: 'generic-local/app/app.pom',
          checksum: checksumsOf(POM).sha256,
          size: POM.length,
          props: [],
          stored_path: 'release-bundles/app-bundle/1.0/generic-local/app/app.pom',
        },
      ],
    });
    // The storing repository was created, and the clones are ordinary readable files.
    expect(src.source.state.repository(STORING_REPO)?.rclass).toBe('local');
    const clone = await src.call('GET', '/artifactory/release-bundles/app-bundle/1.0/generic-local/app/app.jar');
    expect([clone.status, await clone.text()]).toEqual([200, JAR]);
    // Source properties are kept, the bundle's added ones are set.
    expect(src.source.state.item(STORING_REPO, 'app-bundle/1.0/generic-local/app/app.jar')?.properties).toEqual({ origin: ['ci'], release: ['1.0'] });
    // AQL finds them where bundle specs and the Edge's listing expect them.
    const found = await src.aql('items.find({"repo":"release-bundles","path":{"$match":"app-bundle/1.0/*"}}).include("path","name")');
    expect(found.results).toEqual([
      { path: 'app-bundle/1.0/generic-local/app', name: 'app.jar' },
      { path: 'app-bundle/1.0/generic-local/app', name: 'app.pom' },
    ]);

    const jws = await src.call('GET', '/artifactory/api/release/bundles/app-bundle/1.0?format=jws');
    expect([jws.status, await jws.text()]).toEqual([200, JWS]);
    const view = await src.call('GET', '/artifactory/api/release/bundles/app-bundle/1.0');
    expect(await view.json()).toMatchObject({
      name: 'app-bundle',
      version: '1.0',
      artifacts: [{ repo_path: 'generic-local/app/app.jar' }, { repo_path: 'generic-local/app/app.pom' }],
    });
  });

  it('is idempotent for the same bundle and refuses other content under the same name/version with 409', async () => {
    expect((await store(storeBody())).status).toBe(201);
    src.clock.now = T0 + 60_000;
    const again = await store(storeBody());
    expect(again.status).toBe(200);
    expect(((await again.json()) as { created: string }).created).toBe(new Date(T0).toISOString());
    expect(await errorOf(await store(storeBody({ jws: `${JWS}x` })))).toMatchObject({ status: 409, code: 'CONFLICT' });
    const fewer = storeBody();
    fewer.artifacts = fewer.artifacts.slice(0, 1);
    expect(await errorOf(await store(fewer))).toMatchObject({ status: 409, code: 'CONFLICT' });
    // Another version is another bundle.
    expect((await store(storeBody({ version: '1.1' }))).status).toBe(201);
  });

  it('refuses what it cannot clone honestly, before writing anything', async () => {
    const wrongChecksum = storeBody();
    (wrongChecksum.artifacts[1] as { checksum: string }).checksum = checksumsOf('other').sha256;
    const mismatch = await errorOf(await store(wrongChecksum));
    expect(mismatch).toMatchObject({ status: 409, code: 'CHECKSUM_MISMATCH' });
    expect(mismatch.message).toContain('artifacts[1].checksum');
    expect(src.source.state.repository(STORING_REPO)).toBeUndefined();

    const missing = storeBody();
    (missing.artifacts[0] as { source_repo_path: string }).source_repo_path = 'libs/org/none.jar';
    expect(await errorOf(await store(missing))).toMatchObject({ status: 404, message: 'artifacts[0].source_repo_path "libs/org/none.jar" does not exist.' });

    const folder = storeBody();
    (folder.artifacts[0] as { source_repo_path: string }).source_repo_path = 'libs/org';
    expect(await errorOf(await store(folder))).toMatchObject({ status: 400, code: 'NOT_A_FILE' });
    expect(await errorOf(await src.call('GET', '/artifactory/api/release/bundles/app-bundle/1.0'))).toMatchObject({ status: 404 });
  });

  it.each([
    [{ name: 'x' }, 'name must match'],
    [{ version: 'LATEST' }, 'version must not be "LATEST"'],
    [{ jws: '' }, 'jws must be the signed bundle'],
    [{ artifacts: [] }, 'artifacts must list at least one artifact'],
    [
      { artifacts: [{ source_repo_path: 'libs/org/app.jar', target_repo_path: '../etc/passwd', checksum: checksumsOf(JAR).sha256 }] },
      'artifacts[0].target_repo_path "../etc/passwd"',
    ],
    [
      { artifacts: [{ source_repo_path: 'libs', target_repo_path: 'generic-local/a', checksum: checksumsOf(JAR).sha256 }] },
      'artifacts[0].source_repo_path "libs"',
    ],
    [
      { artifacts: [{ source_repo_path: 'libs/org/app.jar', target_repo_path: 'g/a', checksum: 'ABC' }] },
      'artifacts[0].checksum must be 64 lowercase hex digits',
    ],
    [
      {
        artifacts: [
          { source_repo_path: 'libs/org/app.jar', target_repo_path: 'g/a', checksum: checksumsOf(JAR).sha256 },
          { source_repo_path: 'libs/org/app.jar', target_repo_path: 'g/a', checksum: checksumsOf(JAR).sha256 },
        ],
      },
      'artifacts[1].target_repo_path "g/a" duplicates artifacts[0]',
    ],
    [
      {
        artifacts: [
          { source_repo_path: 'libs/org/app.jar', target_repo_path: 'g/a', checksum: checksumsOf(JAR).sha256, props: [{ key: 'bad key', values: [] }] },
        ],
      },
      "Invalid property key 'bad key'",
    ],
  ])('refuses %j with a 400 naming the problem', async (overrides, problem) => {
    const error = await errorOf(await store(storeBody(overrides)));
    expect(error.status).toBe(400);
    expect(error.message).toContain(problem);
  });

  it('needs the admin to store, and a known format to read', async () => {
    expect((await src.call('POST', '/artifactory/api/release/bundles/store', { body: JSON.stringify(storeBody()), auth: null })).status).toBe(401);
    await store(storeBody());
    expect(await errorOf(await src.call('GET', '/artifactory/api/release/bundles/app-bundle/1.0?format=xml'))).toMatchObject({ status: 400 });
  });
});
