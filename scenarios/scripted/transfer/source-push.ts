import { SOURCE_PUSH, SOURCE_STORE, type PushReport } from '../../../protocol/wire/source-bundles.ts';
import type { Platform } from '../../../simulator/platform.ts';
import { commit, distribute as publishDirectly, sha256, signedBundle, start, type BundleFile, type SignedBundle } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { edpCalls, fileCalls, mark } from '../../kit/edp-traffic.ts';
import { expect } from '../../kit/expect.ts';
import { download, scenarioName, sourceClient } from '../../kit/platform-flow.ts';
import { scenario } from '../../kit/scenario.ts';
import { localRepo } from '../../kit/world.ts';

/**
 * The source Artifactory pushing a bundle's files into a transaction the harness opened on the
 * Edge (the harness plays Distribution): checksum deploy first, the bytes only when the Edge
 * asks for them (simulator/source/README.md, "Pushing a bundle to an Edge").
 */

const SOURCE_REPO = 'libs';

interface Pushing {
  platform: Platform;
  /** The Edge repository bundles publish into. */
  repo: string;
  name: string;
  /** `bytes` deployed to the source at `libs/<path>`, as a bundle file at `<repo>/<path>`. */
  file(path: string, bytes: Buffer): Promise<BundleFile>;
  /** Signs a bundle of `files`, stores it on the source and starts its transaction on the Edge (201). */
  open(version: string, files: BundleFile[]): Promise<{ bundle: SignedBundle; id: string; files: { state: string }[] }>;
  push(id: string, version: string): Promise<PushReport>;
}

async function pushing(t: ScenarioContext): Promise<Pushing> {
  const platform = await t.platform();
  const source = sourceClient(platform);
  await source.createRepository(SOURCE_REPO, { rclass: 'local' });
  const repo = await localRepo(t, 'generic');
  const name = scenarioName(t, 'edge-push');
  const sources = new Map<string, string>();
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${platform.urls.source}${path}`, {
      method: 'POST',
      headers: { authorization: platform.admin, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  return {
    platform,
    repo,
    name,
    async file(path, bytes) {
      await source.deploy(`${SOURCE_REPO}/${path}`, bytes);
      sources.set(`${repo}/${path}`, `${SOURCE_REPO}/${path}`);
      return { repoPath: `${repo}/${path}`, bytes };
    },
    async open(version, files) {
      const bundle = await signedBundle(t, name, version, files);
      const artifacts = files.map((f) => ({ source_repo_path: sources.get(f.repoPath), target_repo_path: f.repoPath, checksum: sha256(f.bytes) }));
      const stored = await call(SOURCE_STORE, { name, version, jws: bundle.jws, artifacts });
      expect(stored.status, stored.text).toBe(201);
      const started = await start(t, bundle.jws);
      expect(started.status, started.text).toBe(201);
      t.defer(() => t.clients().edp.deleteBundle(name, version));
      const { id, files: states } = started.json() as { id: string; files: { state: string }[] };
      return { bundle, id, files: states };
    },
    async push(id, version) {
      const pushed = await call(SOURCE_PUSH, { edge_url: t.edge.url, transaction_id: id, authorization: t.edge.admin, name, version });
      expect(pushed.status, pushed.text).toBe(200);
      return JSON.parse(pushed.text) as PushReport;
    },
  };
}

/** `size` bytes unique to the scenario run. */
function content(t: ScenarioContext, what: string, size: number): Buffer {
  const unit = Buffer.from(`${what} ${scenarioName(t, 'content')} `);
  return Buffer.concat(Array.from({ length: Math.ceil(size / unit.length) }, () => unit)).subarray(0, size);
}

async function expectServed(t: ScenarioContext, files: BundleFile[]): Promise<void> {
  for (const f of files) expect(await download(t, t.edge, f.repoPath), f.repoPath).toEqual({ status: 200, sha256: sha256(f.bytes), size: f.bytes.length });
}

export const sourcePushScenarios = [
  scenario({
    id: 'transfer/source-push-uploads-what-the-edge-lacks',
    title: 'the source claims each file by checksum, is told the content is unknown, uploads the bytes; after commit the Edge serves exactly them',
    requirements: ['EDP-FILE-6', 'EDP-FILE-5', 'EDP-TX-8', 'EDP-PUB-2'],
    async run(t) {
      const p = await pushing(t);
      const files = [await p.file('app/app.bin', content(t, 'binary', 256 * 1024)), await p.file('app/notes.txt', content(t, 'notes', 60))];
      const { id } = await p.open('1.0', files);
      const report = await t.step('the source pushes', () => p.push(id, '1.0'));
      expect(report).toEqual({
        files: files.map((f) => ({ repo_path: f.repoPath, status: 201, bytes_sent: f.bytes.length, method: 'upload' })),
        transferred_files: 2,
        transferred_bytes: files.reduce((sum, f) => sum + f.bytes.length, 0),
      });
      expect(fileCalls(edpCalls(p.platform))).toMatchObject(
        Object.fromEntries(
          files.map((f) => [
            f.repoPath,
            [
              { kind: 'claim', status: 404 },
              { kind: 'upload', status: 201, sent: { bytes: f.bytes.length, sha256: sha256(f.bytes), complete: true } },
            ],
          ]),
        ),
      );
      const committed = await commit(t, id);
      expect(committed.status, committed.text).toBe(200);
      await expectServed(t, files);
    },
  }),
  scenario({
    id: 'transfer/source-push-claims-content-the-edge-holds',
    title: 'content the Edge already holds is PRESENT at start: the checksum deploy answers 200 and no byte of it is uploaded',
    requirements: ['EDP-TX-3', 'EDP-FILE-8', 'EDP-FILE-5', 'EDP-PUB-2'],
    async run(t) {
      const p = await pushing(t);
      const held = content(t, 'held', 128 * 1024);
      await publishDirectly(t, await signedBundle(t, p.name, '1.0', [{ repoPath: `${p.repo}/v1/held.bin`, bytes: held }]));
      const files = [await p.file('v2/same.bin', held), await p.file('v2/fresh.bin', content(t, 'fresh', 10_000))];
      const { id, files: states } = await p.open('2.0', files);
      expect(states.map((f) => f.state)).toEqual(['PRESENT', 'MISSING']);
      const since = await mark(p.platform);
      const report = await t.step('the source pushes', () => p.push(id, '2.0'));
      expect(report).toEqual({
        files: [
          { repo_path: files[0]?.repoPath, status: 200, bytes_sent: 0, method: 'checksum' },
          { repo_path: files[1]?.repoPath, status: 201, bytes_sent: 10_000, method: 'upload' },
        ],
        transferred_files: 2,
        transferred_bytes: 10_000,
      });
      // On the wire: the held content was claimed, never sent.
      expect(
        edpCalls(p.platform, since)
          .filter((c) => c.kind === 'upload')
          .map((c) => c.repoPath),
      ).toEqual([files[1]?.repoPath]);
      expect((await commit(t, id)).status).toBe(200);
      await expectServed(t, files);
    },
  }),
  scenario({
    id: 'transfer/source-push-claims-content-that-arrived-later',
    title: 'content that reached the Edge after a transaction started is claimed by checksum deploy with 201 and no bytes',
    requirements: ['EDP-FILE-6', 'EDP-FILE-8'],
    async run(t) {
      const p = await pushing(t);
      const shared = content(t, 'shared', 50_000);
      // Two bundles with the same new content, both started before either is pushed.
      const first = await p.open('1.0', [await p.file('race1/shared.bin', shared)]);
      const second = await p.open('2.0', [await p.file('race2/shared.bin', shared)]);
      expect([first.files, second.files]).toEqual([[expect.objectContaining({ state: 'MISSING' })], [expect.objectContaining({ state: 'MISSING' })]]);
      expect((await p.push(first.id, '1.0')).files).toMatchObject([{ status: 201, method: 'upload', bytes_sent: shared.length }]);
      expect((await commit(t, first.id)).status).toBe(200);
      expect(await p.push(second.id, '2.0')).toEqual({
        files: [{ repo_path: second.bundle.files[0]?.repoPath, status: 201, bytes_sent: 0, method: 'checksum' }],
        transferred_files: 1,
        transferred_bytes: 0,
      });
      expect((await commit(t, second.id)).status).toBe(200);
      await expectServed(t, second.bundle.files);
    },
  }),
  scenario({
    id: 'transfer/source-push-to-a-closed-transaction',
    title: 'a push to a committed transaction is refused with 409 EDP_TX_CLOSED at the checksum deploy, and nothing is uploaded',
    requirements: ['EDP-FILE-1', 'EDP-TX-2'],
    async run(t) {
      const p = await pushing(t);
      const files = [await p.file('app3/notes.txt', content(t, 'notes', 40))];
      const { id } = await p.open('3.0', files);
      await p.push(id, '3.0');
      expect((await commit(t, id)).status).toBe(200);
      const since = await mark(p.platform);
      const report = await t.step('push again after the commit', () => p.push(id, '3.0'));
      expect(report).toEqual({
        files: [{ repo_path: files[0]?.repoPath, status: 409, code: 'EDP_TX_CLOSED', message: expect.any(String), bytes_sent: 0, method: 'checksum' }],
        transferred_files: 0,
        transferred_bytes: 0,
      });
      expect(edpCalls(p.platform, since).map((c) => `${c.kind} ${c.status}`)).toEqual(['claim 409']);
      await expectServed(t, files);
    },
  }),
];
