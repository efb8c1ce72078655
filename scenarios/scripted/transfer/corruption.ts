import { edpCalls, type FaultInput, faultPlan, fileCalls, mark, onUploads, transactionsOf } from '../../kit/edp-traffic.ts';
import { expect } from '../../kit/expect.ts';
import { distribute, expectNothingPublished, expectPublished, release, startFlow } from '../../kit/platform-flow.ts';
import { scenario, type Scenario } from '../../kit/scenario.ts';

/**
 * Bytes damaged on their way from the source to the Edge, by a seeded fault plan on the
 * source's pushes: the Edge refuses them with EDP_CHECKSUM_MISMATCH, publishes nothing of them,
 * and the retry (or a redistribution) on the same transaction publishes the signed bytes.
 */

interface Corruption {
  name: string;
  what: string;
  fault: FaultInput;
  requirements: string[];
  /** The refused body differs from the signed bytes (not only its header). */
  damagesBytes: boolean;
}

const CORRUPTIONS: Corruption[] = [
  { name: 'flipped-byte', what: 'a byte flipped', fault: { kind: 'corrupt', offset: 7, xor: 255 }, requirements: ['EDP-FILE-4'], damagesBytes: true },
  { name: 'truncated-body', what: 'the body cut short', fault: { kind: 'truncate', afterBytes: 10 }, requirements: ['EDP-FILE-4'], damagesBytes: true },
  {
    name: 'wrong-checksum-header',
    what: 'a wrong X-Checksum-Sha256',
    fault: { kind: 'checksum-header', mode: 'wrong' },
    requirements: ['EDP-FILE-2'],
    damagesBytes: false,
  },
];

/** Distribution's attempts per distribution: t.platform retries 4 times. */
const ATTEMPTS = 5;
const REFUSED = { kind: 'upload', status: 409 };

function retried(c: Corruption): Scenario {
  return scenario({
    id: `transfer/${c.name}-refused-then-retried`,
    title: `every file's first upload arrives with ${c.what}: the Edge refuses it with 409, and the retry on the same transaction publishes the signed bytes`,
    requirements: [...c.requirements, 'EDP-TX-4', 'EDP-PUB-2'],
    async run(t) {
      const flow = await startFlow(t, { plan: faultPlan(t, `The first upload of every file arrives with ${c.what}.`, [onUploads(c.fault, [1])]) });
      const bundle = await release(flow);
      const tracker = await t.step('distribute through the damage', () => distribute(flow, '1.0.0'));
      expect(tracker, JSON.stringify(tracker)).toMatchObject({ status: 'Completed', sites: [{ status: 'Completed', attempts: 2, distributed_files: 3 }] });

      await t.step('the wire: each damaged upload refused, the signed bytes accepted on the retry', async () => {
        const calls = edpCalls(flow.platform);
        expect(transactionsOf(calls)).toHaveLength(1);
        const files = fileCalls(calls);
        for (const a of bundle.artifacts) {
          expect(files[a.repo_path], a.repo_path).toMatchObject([
            { kind: 'claim', status: 404 },
            { ...REFUSED, fault: c.fault.kind },
            { kind: 'claim', status: 404 },
            { kind: 'upload', status: 201, sent: { bytes: a.size, sha256: a.checksum, complete: true } },
          ]);
          if (c.damagesBytes) expect(files[a.repo_path]?.[1]?.sent?.sha256, a.repo_path).not.toBe(a.checksum);
        }
      });
      await expectPublished(t, t.edge, bundle.artifacts);
    },
  });
}

function redistributed(c: Corruption): Scenario {
  return scenario({
    id: `transfer/${c.name}-on-every-attempt-then-redistributed`,
    title: `every upload of every attempt arrives with ${c.what}: the site fails with EDP_CHECKSUM_MISMATCH, nothing is published, and a redistribution publishes the signed bytes`,
    requirements: [...c.requirements, 'EDP-TX-2', 'EDP-TX-4', 'EDP-TX-7', 'EDP-PUB-1', 'EDP-PUB-2'],
    async run(t) {
      const uploads = Array.from({ length: ATTEMPTS }, (_, i) => i + 1);
      const flow = await startFlow(t, {
        plan: faultPlan(t, `The first ${ATTEMPTS} uploads of every file arrive with ${c.what}.`, [onUploads(c.fault, uploads)]),
      });
      const bundle = await release(flow);
      const failed = await t.step('distribute through the damage', () => distribute(flow, '1.0.0'));
      expect(failed.status, JSON.stringify(failed)).toBe('Failed');
      expect(failed.sites).toMatchObject([{ status: 'Failed', attempts: ATTEMPTS, distributed_files: 0 }]);
      expect(failed.sites[0]?.general_error).toMatch(
        new RegExp(
          `^upload of ${flow.targetRepo}/\\S+ \\(pushed by the source Artifactory\\): Edge answered HTTP 409 EDP_CHECKSUM_MISMATCH: .+ \\(gave up after ${ATTEMPTS} attempts\\)$`,
        ),
      );
      const calls = edpCalls(flow.platform);
      const [tx] = transactionsOf(calls);
      expect(transactionsOf(calls)).toEqual([tx]);
      expect(calls.filter((call) => call.kind === 'upload')).toEqual(
        Array.from({ length: ATTEMPTS * 3 }, () => expect.objectContaining({ ...REFUSED, fault: c.fault.kind })),
      );

      await t.step('nothing is published; the transaction is still OPEN with every file MISSING', async () => {
        await expectNothingPublished(t, t.edge, bundle);
        const open = (await t.clients().edp.transactions('OPEN')).find((o) => o.id === tx);
        expect(open).toMatchObject({ name: bundle.name, version: '1.0.0', files: bundle.artifacts.map((a) => ({ ...a, state: 'MISSING' })) });
      });

      const since = await mark(flow.platform);
      const tracker = await t.step('distribute again', () => distribute(flow, '1.0.0'));
      expect(tracker, JSON.stringify(tracker)).toMatchObject({ status: 'Completed', sites: [{ status: 'Completed', attempts: 1, distributed_files: 3 }] });
      const again = edpCalls(flow.platform, since);
      // The same bundle answers the same open transaction (EDP-TX-4).
      expect(again[0]).toMatchObject({ kind: 'start', status: 200 });
      expect(transactionsOf(again)).toEqual([tx]);
      await expectPublished(t, t.edge, bundle.artifacts);
    },
  });
}

export const corruptionScenarios: Scenario[] = [
  ...CORRUPTIONS.flatMap((c) => [retried(c), redistributed(c)]),
  scenario({
    id: 'transfer/missing-checksum-header-fails-at-once',
    title: 'uploads without X-Checksum-Sha256 are refused with 400, a permanent refusal: the site fails on its first attempt and nothing is published',
    requirements: ['EDP-FILE-1', 'EDP-TX-2', 'EDP-PUB-1'],
    async run(t) {
      const plan = faultPlan(t, 'The first upload of every file lacks its X-Checksum-Sha256.', [onUploads({ kind: 'checksum-header', mode: 'missing' }, [1])]);
      const flow = await startFlow(t, { plan });
      const bundle = await release(flow);
      const tracker = await t.step('distribute', () => distribute(flow, '1.0.0'));
      expect(tracker.status, JSON.stringify(tracker)).toBe('Failed');
      expect(tracker.sites).toMatchObject([{ status: 'Failed', attempts: 1 }]);
      expect(tracker.sites[0]?.general_error).toMatch(/Edge answered HTTP 400 BAD_REQUEST: .*X-Checksum-Sha256 is required/);
      expect(edpCalls(flow.platform).filter((call) => call.kind === 'upload')).toEqual(
        bundle.artifacts.map(() => expect.objectContaining({ kind: 'upload', status: 400, fault: 'checksum-header' })),
      );
      await expectNothingPublished(t, t.edge, bundle);
    },
  }),
];
