import { edpCalls, fileCalls, mark } from '../../kit/edp-traffic.ts';
import { expect } from '../../kit/expect.ts';
import { createBundle, deploy, distribute, expectPublished, releaseFiles, scenarioName, startFlow, targetOf } from '../../kit/platform-flow.ts';
import { scenario } from '../../kit/scenario.ts';

/** Content an Edge already holds never crosses the wire again (EDP-FILE-8). */

export const dedupScenarios = [
  scenario({
    id: 'transfer/dedup-transfers-only-new-bytes',
    title: 'a second bundle sharing content with a published one transfers only its new bytes, as the wire shows, and publishes both files',
    requirements: ['EDP-FILE-8', 'EDP-TX-3', 'EDP-PUB-2'],
    async run(t) {
      const flow = await startFlow(t);
      const first = releaseFiles(flow, 'app/1.0.0');
      const [jar] = first;
      const fresh = { path: 'app/2.0.0/notes.txt', bytes: Buffer.from(`notes of 2.0.0 ${scenarioName(t, 'content')}\n`.repeat(300)) };
      // The same content as 1.0.0's jar, at another path.
      const shared = { path: 'app/2.0.0/app.jar', bytes: jar?.bytes ?? Buffer.alloc(0) };
      await deploy(flow, [...first, shared, fresh]);

      const v1 = await createBundle(flow, '1.0.0', 'app/1.0.0');
      expect(await distribute(flow, '1.0.0')).toMatchObject({ status: 'Completed' });
      const v2 = await createBundle(flow, '2.0.0', 'app/2.0.0');
      const since = await mark(flow.platform);
      const tracker = await t.step('distribute 2.0.0', () => distribute(flow, '2.0.0'));
      expect(tracker, JSON.stringify(tracker)).toMatchObject({ status: 'Completed', sites: [{ status: 'Completed', distributed_files: 2, attempts: 1 }] });

      await t.step('only the new file crossed the wire', async () => {
        const calls = edpCalls(flow.platform, since);
        const uploads = calls.filter((c) => c.kind === 'upload');
        expect(uploads.map((c) => [c.repoPath, c.status, c.sent])).toEqual([
          [
            targetOf(flow, fresh),
            201,
            { bytes: fresh.bytes.length, sha256: v2.artifacts.find((a) => a.repo_path === targetOf(flow, fresh))?.checksum, complete: true },
          ],
        ]);
        // The Edge said PRESENT at start, so the shared content was not even claimed.
        expect(Object.keys(fileCalls(calls))).toEqual([targetOf(flow, fresh)]);
      });
      await t.step('both versions are published with their signed checksums', async () => {
        await expectPublished(t, t.edge, v2.artifacts);
        await expectPublished(t, t.edge, v1.artifacts);
      });
    },
  }),
];
