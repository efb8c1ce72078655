import { edpCalls, faultPlan, fileCalls, onUploads, transactionsOf } from '../../kit/edp-traffic.ts';
import { expect } from '../../kit/expect.ts';
import { distribute, expectPublished, release, startFlow } from '../../kit/platform-flow.ts';
import { scenario } from '../../kit/scenario.ts';
import { EDP_BASE } from '../../../protocol/wire/edp.ts';

/** A transfer broken mid-body resumes on the same transaction with only what is missing. */

const RESET_AFTER = 4096;

export const resumeScenarios = [
  scenario({
    id: 'transfer/resume-after-dropped-connection',
    title: 'the source’s push of a file is reset mid-body; the retry resumes the same transaction, re-sends only that file, and the bundle publishes complete',
    requirements: ['EDP-FILE-9', 'EDP-TX-4', 'EDP-FILE-6', 'EDP-PUB-2'],
    async run(t) {
      const plan = faultPlan(t, `The first upload of app.jar breaks after ${RESET_AFTER} bytes.`, [
        onUploads({ kind: 'reset', afterBytes: RESET_AFTER }, [1], `${EDP_BASE}/transactions/*/files/**/app.jar`),
      ]);
      const flow = await startFlow(t, { plan });
      const bundle = await release(flow);
      const tracker = await t.step('distribute through the dropped connection', () => distribute(flow, '1.0.0'));
      expect(tracker, JSON.stringify(tracker)).toMatchObject({ status: 'Completed', sites: [{ status: 'Completed', attempts: 2, distributed_files: 3 }] });

      await t.step('the wire: the broken file alone was sent again, on the same transaction', async () => {
        const calls = edpCalls(flow.platform);
        expect(calls.filter((c) => c.kind === 'start').map((c) => c.status)).toEqual([201, 200]);
        const [tx] = transactionsOf(calls);
        expect(transactionsOf(calls)).toEqual([tx]);
        const files = fileCalls(calls);
        for (const a of bundle.artifacts) {
          const done = { kind: 'upload', status: 201, sent: { bytes: a.size, sha256: a.checksum, complete: true } };
          if (!a.repo_path.endsWith('/app.jar')) {
            expect(files[a.repo_path], a.repo_path).toMatchObject([{ kind: 'claim', status: 404 }, done]);
            continue;
          }
          // The Edge kept nothing of the broken body: the retry's claim is still unknown content (EDP-FILE-9).
          expect(files[a.repo_path]).toMatchObject([
            { kind: 'claim', status: 404 },
            { kind: 'upload', status: null, fault: 'reset', sent: { bytes: RESET_AFTER, complete: false } },
            { kind: 'claim', status: 404 },
            done,
          ]);
        }
      });
      await expectPublished(t, t.edge, bundle.artifacts);
    },
  }),
];
