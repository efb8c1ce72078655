import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startEdge, type RawResponse, type RunningEdge } from './edge-harness.ts';
import {
  EDP,
  commit,
  createRepo,
  errorCode,
  json,
  makeBundle,
  sha256,
  start,
  trustFixtureKey,
  uploadFile,
  type BundleFile,
  type TestBundle,
} from './bundle-kit.ts';
import { PowerLossDisk, PowerSwitch } from './power-loss-disk.ts';

/**
 * EDGE-DUR-1, EDGE-DUR-2, EDP-FILE-7, EDP-PUB-1, EDP-PUB-4: power loss at every point.
 *
 * A fixed sequence of deploys and one EDP distribution runs against an in-process Edge whose
 * filestore writes through PowerLossDisk and whose metadata writes pass the same PowerSwitch.
 * A dry run counts the points where power can fail (every filestore write, fsync, mkdir,
 * rename, unlink, and every metadata write statement); then, for each point k, the sequence
 * runs on a fresh copy of the same data directory with the power cut before operation k, the
 * filestore is reduced to what was fsynced, and a restarted Edge is checked over HTTP:
 *   - every 201 deploy and every 200 commit answered before the cut is there, byte for byte;
 *   - every EDP file answered 201 is still PRESENT, and its bytes are not asked for again;
 *   - every file any listing shows downloads whole, with its recorded sha256 and size (no
 *     partial file, no row whose blob was lost), and the bundle is all there or not at all;
 *   - the temp area is empty, and redelivering the bundle completes it.
 * The points are enumerated, not sampled: a failure names the point and the operation cut.
 */

const UPLOADS = 'artifactory-edge-uploads';

/** Content whose sha256 satisfies `wanted`, found by a fixed search: the shard folders it needs are known. */
function contentWhere(label: string, wanted: (sha: string) => boolean): Buffer {
  for (let i = 0; ; i++) {
    const bytes = Buffer.from(`${label} #${i}\n`);
    if (wanted(sha256(bytes))) return bytes;
  }
}

const deployOne = contentWhere('deploy one', () => true);
const shardOf = (bytes: Buffer) => sha256(bytes).slice(0, 4);
// x shares its first shard folder with deployOne (ab/ exists, cd/ is new); y needs two new ones.
const x = contentWhere('bundle x', (s) => s.slice(0, 2) === shardOf(deployOne).slice(0, 2) && s.slice(2, 4) !== shardOf(deployOne).slice(2, 4));
const y = contentWhere('bundle y', (s) => s.slice(0, 2) !== shardOf(deployOne).slice(0, 2));
const deployTwo = contentWhere('deploy two', (s) => ![deployOne, x, y].some((b) => shardOf(b).slice(0, 2) === s.slice(0, 2)));

/**
 * A local answer of a few bytes comes in milliseconds; one that does not (a blob shorter than
 * its Content-Length keeps the client waiting) is a problem to report, not a hung test. The
 * connection is dropped when the Edge closes.
 */
type Answer = RawResponse | { status: 'no complete answer'; body: Buffer };

function within(request: Promise<RawResponse>, ms = 2_000): Promise<Answer> {
  const late: Answer = { status: 'no complete answer', body: Buffer.alloc(0) };
  return Promise.race([request.catch(() => late), new Promise<Answer>((resolve) => setTimeout(() => resolve(late), ms).unref())]);
}

const outcome = (res: Answer) => (typeof res.status === 'number' ? `${res.status} with ${res.body.length} bytes` : res.status);

interface Acks {
  deploys: { path: string; bytes: Buffer }[];
  started: boolean;
  uploaded: string[];
  committed: boolean;
}

describe('EDGE-DUR-1, EDGE-DUR-2, EDP-FILE-7, EDP-PUB-4: a power cut at any point loses nothing acknowledged', () => {
  let template: string;
  let bundle: TestBundle;
  let many: TestBundle;

  beforeAll(async () => {
    // Key, repository and users once; each run copies this data directory, without a filestore,
    // so every run creates the filestore itself under the power switch.
    template = await mkdtemp(join(tmpdir(), 'edgeproof-power-template-'));
    const edge = await startEdge({}, { dataDir: template });
    await trustFixtureKey(edge);
    await createRepo(edge, 'power-local');
    await edge.close();
    await rm(join(template, 'filestore'), { recursive: true, force: true });
    const files: BundleFile[] = [
      { repoPath: 'power-local/rel/x.bin', bytes: x, props: [{ key: 'release', values: ['1'] }] },
      { repoPath: 'power-local/rel/lib/y.bin', bytes: y },
    ];
    bundle = await makeBundle('power', '1.0', files);
    // All in one shard folder, so their publishes share its fsyncs (a group), and a group that
    // skipped one would lose an acknowledged file.
    const shard = shardOf(deployOne);
    const manyFiles = Array.from({ length: 8 }, (_, i) => ({
      repoPath: `power-local/many/f${i}.bin`,
      bytes: contentWhere(`many ${i}`, (s) => s.startsWith(shard)),
    }));
    many = await makeBundle('power-many', '1.0', manyFiles);
  });
  afterAll(() => rm(template, { recursive: true, force: true }));

  const deploy = (edge: RunningEdge, path: string, bytes: Buffer) =>
    raw(edge.url, 'PUT', `/artifactory/${UPLOADS}/${path}`, { headers: { authorization: edge.admin, 'x-checksum-sha256': sha256(bytes) }, body: bytes });

  /** The client's side: what the Edge acknowledged before the power went. */
  async function scenario(edge: RunningEdge): Promise<Acks> {
    const acks: Acks = { deploys: [], started: false, uploaded: [], committed: false };
    const answered = async (request: Promise<RawResponse>, status: number) => (await request.catch(() => undefined))?.status === status;
    const deployed = async (path: string, bytes: Buffer) => {
      const ok = await answered(deploy(edge, path, bytes), 201);
      if (ok) acks.deploys.push({ path, bytes });
      return ok;
    };
    if (!(await deployed('power/one.txt', deployOne))) return acks;
    const started = await start(edge, bundle.jws).catch(() => undefined);
    if (started?.status !== 201) return acks;
    acks.started = true;
    const id = (started.json() as { id: string }).id;
    for (const file of bundle.files) {
      if (!(await answered(uploadFile(edge, id, file), 201))) return acks;
      acks.uploaded.push(file.repoPath);
    }
    if (!(await answered(commit(edge, id), 200))) return acks;
    acks.committed = true;
    if (!(await deployed('power/two.txt', deployTwo))) return acks;
    // Same content as a bundle file: the blob is already in place (publish's dedup path).
    await deployed('power/copy-of-x.bin', x);
    return acks;
  }

  const getAsAdmin = (edge: RunningEdge, path: string) => within(raw(edge.url, 'GET', path, { headers: { authorization: edge.admin } }));

  /** The temp area is empty and every file any listing shows downloads whole: no partial file, no row whose blob was lost. */
  async function nothingHalfVisible(edge: RunningEdge): Promise<string[]> {
    const problems: string[] = [];
    const temp = await readdir(join(edge.dataDir, 'filestore', '_tmp'));
    if (temp.length) problems.push(`temp files after restart: ${temp.join(', ')}`);
    for (const repo of [UPLOADS, 'power-local']) {
      const list = (await getAsAdmin(edge, `/artifactory/api/storage/${repo}?list&deep=1`)) as RawResponse;
      // Artifactory writes a listed file's size as a string.
      for (const file of (JSON.parse(list.body.toString()) as { files: { uri: string; size: string; sha2: string }[] }).files) {
        const res = await getAsAdmin(edge, `/artifactory/${repo}${file.uri}`);
        if (res.status !== 200 || res.body.length !== Number(file.size) || sha256(res.body) !== file.sha2) {
          problems.push(`${repo}${file.uri} is listed (${file.size} bytes, sha256 ${file.sha2.slice(0, 12)}…) but downloads as ${outcome(res)}`);
        }
      }
    }
    return problems;
  }

  async function deploysKept(edge: RunningEdge, deploys: Acks['deploys']): Promise<string[]> {
    const problems: string[] = [];
    for (const { path, bytes } of deploys) {
      const res = await getAsAdmin(edge, `/artifactory/${UPLOADS}/${path}`);
      if (res.status !== 200 || !res.body.equals(bytes)) problems.push(`deploy of ${path} was answered 201 but is ${outcome(res)} after the power cut`);
    }
    return problems;
  }

  /** What the restarted Edge shows; each broken promise is one line. */
  async function problemsAfterRestart(edge: RunningEdge, acks: Acks): Promise<string[]> {
    const problems: string[] = [];
    const get = (path: string) => getAsAdmin(edge, path);

    problems.push(...(await nothingHalfVisible(edge)), ...(await deploysKept(edge, acks.deploys)));

    const visible = await Promise.all(bundle.files.map(async (f) => (await get(`/artifactory/${f.repoPath}`)).status === 200));
    const all = visible.every(Boolean);
    if (!all && visible.some(Boolean)) problems.push(`part of the bundle is visible: ${JSON.stringify(visible)}`);
    const listed = (await get('/artifactory/api/release/bundles/power/1.0')).status === 200;
    if (listed !== all) problems.push(`the bundle is ${listed ? '' : 'not '}listed while its files are ${all ? '' : 'not '}visible`);
    if (acks.committed && !all) problems.push('the commit was answered 200 but the bundle is gone');

    // Redeliver as Distribution would: start again, send what is MISSING, commit.
    const again = await start(edge, bundle.jws);
    if (acks.started && again.status === 201) problems.push('the start was answered 201 but the transaction is gone');
    const tx = again.json() as { id: string; state: string; files: { repo_path: string; state: string }[] };
    if (tx.state === 'OPEN') {
      for (const path of acks.uploaded) {
        if (tx.files.find((f) => f.repo_path === path)?.state !== 'PRESENT') problems.push(`${path} was answered 201 but is no longer PRESENT`);
      }
      // Commit before sending anything: only files never acknowledged may be missing (EDP-FILE-7).
      const first = await commit(edge, tx.id);
      const missing = first.status === 200 ? [] : ((first.json() as { errors: { missing?: string[] }[] }).errors[0]?.missing ?? []);
      if (first.status !== 200 && errorCode(first) !== 'EDP_INCOMPLETE') problems.push(`commit after restart: ${first.status} ${first.text}`);
      const lost = missing.filter((path) => acks.uploaded.includes(path));
      if (lost.length) problems.push(`answered 201 but their bytes are gone at commit: ${lost.join(', ')}`);
      if (first.status !== 200) {
        const status = (await json(edge, 'GET', `${EDP}/transactions/${tx.id}`)).json() as { files: { repo_path: string; state: string }[] };
        const toSend = status.files.filter((f) => f.state !== 'PRESENT').map((f) => f.repo_path);
        for (const file of bundle.files.filter((f) => toSend.includes(f.repoPath))) await uploadFile(edge, tx.id, file);
        const done = await commit(edge, tx.id);
        if (done.status !== 200) problems.push(`the redelivered bundle does not commit: ${done.status} ${done.text}`);
      }
    }
    for (const file of bundle.files) {
      const res = await get(`/artifactory/${file.repoPath}`);
      if (res.status !== 200 || !res.body.equals(file.bytes)) problems.push(`after redelivery ${file.repoPath} is ${outcome(res)}`);
    }
    return problems;
  }

  /**
   * Runs `client` against an Edge on a fresh copy of the template whose storage goes through
   * `power`, cuts the power when it returns, restores what was durable and hands a restarted
   * Edge to `check`.
   */
  async function withPowerCut<A, R>(
    power: PowerSwitch,
    client: (edge: RunningEdge) => Promise<A>,
    check: (edge: RunningEdge, acks: A) => Promise<R>,
  ): Promise<R> {
    const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-power-'));
    try {
      await cp(template, dataDir, { recursive: true });
      const disk = await PowerLossDisk.over(join(dataDir, 'filestore'), power);
      const edge = await startEdge({}, { dataDir, storage: { disk, beforeWrite: (sql) => power.step(`sql ${sql.replace(/\s+/g, ' ').trim().slice(0, 40)}`) } });
      const acks = await client(edge);
      power.cut();
      await edge.close();
      await disk.restoreDurableState();
      const restarted = await startEdge({}, { dataDir });
      try {
        return await check(restarted, acks);
      } finally {
        await restarted.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  /** One run with the power cut before operation `cutAt`; returns the operations that ran and what broke. */
  async function runWithCut(
    cutAt: number,
    run: (edge: RunningEdge) => Promise<Acks> = scenario,
    check: (edge: RunningEdge, acks: Acks) => Promise<string[]> = problemsAfterRestart,
  ): Promise<{ ops: string[]; cutBy: string | undefined; acks: Acks; problems: string[] }> {
    const power = new PowerSwitch();
    const client = (edge: RunningEdge) => {
      power.arm(cutAt);
      return run(edge);
    };
    return withPowerCut(power, client, async (edge, acks) => ({ ops: power.log, cutBy: power.cutBy, acks, problems: await check(edge, acks) }));
  }

  /**
   * EDGE-DUR-4: requests in flight together, so their fsyncs and metadata writes are grouped:
   * the files of a bundle 4 at a time, beside 4 deploys. Each call keeps going after a refusal,
   * so a cut falls among requests at every stage of their group.
   */
  async function concurrentScenario(edge: RunningEdge): Promise<Acks> {
    const acks: Acks = { deploys: [], started: false, uploaded: [], committed: false };
    const started = await start(edge, many.jws).catch(() => undefined);
    if (started?.status !== 201) return acks;
    acks.started = true;
    const id = (started.json() as { id: string }).id;
    const queue = [...many.files];
    const uploads = Array.from({ length: 4 }, async () => {
      for (let file = queue.shift(); file; file = queue.shift()) {
        if ((await uploadFile(edge, id, file).catch(() => undefined))?.status === 201) acks.uploaded.push(file.repoPath);
      }
    });
    const deploys = Array.from({ length: 4 }, async (_, i) => {
      const path = `power/concurrent-${i}.txt`;
      // Beside the bundle's files: new shard folders in the same first-level folder.
      const bytes = contentWhere(`concurrent deploy ${i}`, (s) => s.slice(0, 2) === shardOf(deployOne).slice(0, 2) && s.slice(0, 4) !== shardOf(deployOne));
      if ((await deploy(edge, path, bytes).catch(() => undefined))?.status === 201) acks.deploys.push({ path, bytes });
    });
    await Promise.all([...uploads, ...deploys]);
    return acks;
  }

  async function concurrentProblems(edge: RunningEdge, acks: Acks): Promise<string[]> {
    const problems = [...(await nothingHalfVisible(edge)), ...(await deploysKept(edge, acks.deploys))];
    const again = await start(edge, many.jws);
    if (acks.started && again.status === 201) problems.push('the start was answered 201 but the transaction is gone');
    const tx = again.json() as { id: string; state: string; files: { repo_path: string; state: string }[] };
    for (const path of acks.uploaded) {
      if (tx.files.find((f) => f.repo_path === path)?.state !== 'PRESENT') problems.push(`${path} was answered 201 but is no longer PRESENT`);
    }
    // EDP-FILE-7: a file answered 201 is not asked for again, its bytes included.
    const first = await commit(edge, tx.id);
    const missing = first.status === 200 ? [] : ((first.json() as { errors: { missing?: string[] }[] }).errors[0]?.missing ?? []);
    const lost = missing.filter((path) => acks.uploaded.includes(path));
    if (lost.length) problems.push(`answered 201 but their bytes are gone at commit: ${lost.join(', ')}`);
    return problems;
  }

  it('EDGE-DUR-4: concurrent uploads committed in groups: a power cut at seeded random points loses no acknowledged file', { timeout: 600_000 }, async () => {
    const dry = await runWithCut(Number.POSITIVE_INFINITY, concurrentScenario, concurrentProblems);
    expect(dry.acks.uploaded.length).toBe(many.files.length);
    expect(dry.acks.deploys.length).toBe(4);
    expect(dry.problems).toEqual([]);
    // Fixed by default so the run is the same everywhere; EDGEPROOF_POWER_SEED explores others.
    const seed = Number(process.env.EDGEPROOF_POWER_SEED ?? 13);
    console.info(`EDGE-DUR-4 power cuts: seed ${seed}, ${dry.ops.length} operations in the uncut run`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: dry.ops.length }), async (cutAt) => {
        const run = await runWithCut(cutAt, concurrentScenario, concurrentProblems);
        expect(run.problems, `power cut before operation ${cutAt} (${run.cutBy}); operations:\n  ${run.ops.join('\n  ')}`).toEqual([]);
      }),
      { seed, numRuns: Number(process.env.EDGEPROOF_POWER_RUNS ?? 16), endOnFailure: true },
    );
  });

  it('at every point of two deploys, a distribution and a deduplicated deploy', { timeout: 600_000 }, async () => {
    const dry = await runWithCut(Number.POSITIVE_INFINITY);
    const points = dry.ops.length;
    let failedPoints = 0;
    // The uncut run did everything, so the enumeration covers the whole sequence.
    expect(dry.acks).toMatchObject({ committed: true, uploaded: bundle.files.map((f) => f.repoPath) });
    expect(dry.acks.deploys.map((d) => d.path)).toEqual(['power/one.txt', 'power/two.txt', 'power/copy-of-x.bin']);
    const failures = dry.problems.map((p) => `power cut after the last operation: ${p}`);
    for (let cutAt = 1; cutAt <= points; cutAt++) {
      // A few broken points say what is wrong; running all of them then would only take long.
      if (failedPoints === 3) {
        failures.push(`(points ${cutAt}..${points} not run)`);
        break;
      }
      const run = await runWithCut(cutAt);
      for (const problem of run.problems) failures.push(`power cut before operation ${cutAt} of ${points} (${run.cutBy}): ${problem}`);
      if (run.problems.length) failedPoints++;
    }
    expect(failures, `operations of the full run:\n  ${dry.ops.map((op, i) => `${i + 1}. ${op}`).join('\n  ')}\n`).toEqual([]);
  });

  it('EDGE-DUR-2: a blob whose folder fsync failed is not trusted by the next deploy of the same content', async () => {
    const power = new PowerSwitch();
    // The fsync of the blob's shard folder after its rename fails once, as a flaky disk may.
    power.failOnce((op) => /^fsync dir filestore\/[0-9a-f]{2}\/[0-9a-f]{2}$/.test(op));
    const client = async (edge: RunningEdge) => {
      const failed = await deploy(edge, 'power/flaky.txt', deployOne);
      const retried = await deploy(edge, 'power/flaky.txt', deployOne);
      return [failed.status, retried.status];
    };
    const after = await withPowerCut(power, client, async (edge, statuses) => {
      const res = await within(raw(edge.url, 'GET', `/artifactory/${UPLOADS}/power/flaky.txt`, { headers: { authorization: edge.admin } }));
      return { statuses, after: outcome(res), exact: res.body.equals(deployOne) };
    });
    expect(after).toEqual({ statuses: [500, 201], after: `200 with ${deployOne.length} bytes`, exact: true });
  });
});
