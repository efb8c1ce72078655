import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, snapshot, startEdge, type RunningEdge } from './edge-harness.ts';
import { EDP, commit, createRepo, errorCode, json, makeBundle, start, trustFixtureKey, uploadFile, type BundleFile, type TestBundle } from './bundle-kit.ts';

/**
 * Fails the Nth metadata write after being armed, as a disk error would (SQLITE_IOERR), and
 * counts the writes it sees.
 */
class WriteFaults {
  #failAt = 0;
  #armed = false;
  writes: string[] = [];

  arm(failAt: number): void {
    this.#armed = true;
    this.#failAt = failAt;
    this.writes = [];
  }

  disarm(): void {
    this.#armed = false;
  }

  readonly beforeWrite = (sql: string): void => {
    if (!this.#armed) return;
    this.writes.push(sql.replace(/\s+/g, ' ').trim().slice(0, 60));
    if (this.writes.length === this.#failAt) throw Object.assign(new Error('disk I/O error (injected)'), { code: 'SQLITE_IOERR' });
  };
}

/** Three files in two folders, with properties: a commit writes folders, files, properties and bundle rows. */
function bundleFor(n: number): Promise<TestBundle> {
  const files: BundleFile[] = [
    { repoPath: `mid-local/n${n}/app.bin`, bytes: Buffer.from(`app ${n}`), props: [{ key: 'release', values: [`${n}`, 'mid'] }] },
    { repoPath: `mid-local/n${n}/lib/a.jar`, bytes: Buffer.from(`lib a ${n}`) },
    { repoPath: `mid-local/n${n}/lib/b.jar`, bytes: Buffer.from(`lib b ${n}`), props: [{ key: 'layer', values: ['lib'] }] },
  ];
  return makeBundle(`mid-${n}`, '1.0', files);
}

/**
 * EDP-PUB-1, EDP-PUB-9: a commit that fails at any one of its metadata writes publishes
 * nothing — no item, property, listing entry or release bundle — and leaves the transaction
 * OPEN, so committing again (or starting the same bundle again and committing) publishes it.
 * The faults come from a hook in the metadata store that only code can install (createEdge's
 * `storage.beforeWrite`).
 */
describe('EDP-PUB-1, EDP-PUB-9: failure at every write of a commit', () => {
  const faults = new WriteFaults();
  let edge: RunningEdge;
  const get = (path: string) => raw(edge.url, 'GET', path, { headers: { authorization: edge.admin } });

  beforeAll(async () => {
    edge = await startEdge({}, { storage: { beforeWrite: faults.beforeWrite } });
    await trustFixtureKey(edge);
    await createRepo(edge, 'mid-local');
  });
  afterAll(() => edge.close());

  async function open(bundle: TestBundle): Promise<string> {
    const started = await start(edge, bundle.jws);
    expect(started.status, started.text).toBe(201);
    const id = (started.json() as { id: string }).id;
    for (const file of bundle.files) expect((await uploadFile(edge, id, file)).status).toBe(201);
    return id;
  }

  async function expectPublished(bundle: TestBundle): Promise<void> {
    for (const file of bundle.files) {
      const res = await get(`/artifactory/${file.repoPath}`);
      expect(res.status, file.repoPath).toBe(200);
      expect(res.body.equals(file.bytes)).toBe(true);
    }
    const props = (await get(`/artifactory/api/storage/${bundle.files[0]?.repoPath}?properties`)).json();
    expect(props).toMatchObject({ properties: { release: bundle.files[0]?.props?.[0]?.values } });
    expect((await get(`/artifactory/api/release/bundles/${bundle.payload.name}/1.0`)).status).toBe(200);
  }

  /** The writes of one successful commit: the points a failure can hit. */
  async function commitCountingWrites(id: string): Promise<string[]> {
    faults.arm(Number.POSITIVE_INFINITY);
    try {
      const res = await commit(edge, id);
      expect(res.status, res.text).toBe(200);
      return faults.writes;
    } finally {
      faults.disarm();
    }
  }

  it('publishes nothing at any failure point, keeps the transaction OPEN, and commits on retry', { timeout: 120_000 }, async () => {
    const reference = await bundleFor(0);
    const writes = await commitCountingWrites(await open(reference));
    await expectPublished(reference);
    // Folders, files, properties, bundle rows and the state change: a real multi-statement commit.
    expect(writes.length).toBeGreaterThanOrEqual(10);

    for (let n = 1; n <= writes.length; n++) {
      const where = `failure at write ${n} of ${writes.length} (${writes[n - 1]})`;
      const bundle = await bundleFor(n);
      const id = await open(bundle);
      const before = await snapshot(edge);
      const listedBefore = (await get('/artifactory/api/release/bundles')).json();

      faults.arm(n);
      const failed = await commit(edge, id);
      faults.disarm();
      expect(failed.status, where).toBe(500);
      expect(errorCode(failed), where).toBe('INTERNAL');
      expect(faults.writes.length, `${where}: the commit stopped at the injected failure`).toBe(n);

      expect(await snapshot(edge), `${where}: items, properties, repositories or blobs changed`).toEqual(before);
      expect((await get('/artifactory/api/release/bundles')).json(), where).toEqual(listedBefore);
      expect((await get(`/artifactory/api/release/bundles/${bundle.payload.name}/1.0`)).status, where).toBe(404);
      for (const file of bundle.files) expect((await get(`/artifactory/${file.repoPath}`)).status, `${where}: ${file.repoPath}`).toBe(404);
      const tx = (await json(edge, 'GET', `${EDP}/transactions/${id}`)).json() as { state: string; files: { state: string }[] };
      expect(tx.state, where).toBe('OPEN');
      expect(
        tx.files.every((f) => f.state === 'PRESENT'),
        `${where}: staged files kept`,
      ).toBe(true);

      // Retry as Distribution would: commit again, or (every other time) redeliver the bundle first.
      if (n % 2 === 0) {
        const again = await start(edge, bundle.jws);
        expect(again.status, where).toBe(200);
        expect((again.json() as { id: string }).id, where).toBe(id);
      }
      expect(await commitCountingWrites(id), `${where}: the retry wrote what a clean commit writes`).toHaveLength(writes.length);
      await expectPublished(bundle);
    }
  });
});
