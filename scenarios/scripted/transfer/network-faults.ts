import { edpPaths } from '../../../protocol/wire/edp.ts';
import type { FaultPlanInput } from '../../../simulator/faults/plan.ts';
import { edpCalls, faultPlan, onUploads } from '../../kit/edp-traffic.ts';
import { expect } from '../../kit/expect.ts';
import { distribute, expectPublished, release, startFlow } from '../../kit/platform-flow.ts';
import { scenario, type Scenario } from '../../kit/scenario.ts';

/**
 * Slow, stalled or refused exchanges between the simulators and the Edge, by seeded fault
 * plans: the Edge takes slow and unframed bodies as they come, and a transfer interrupted
 * before the Edge saw it completes on the retry. Every case ends with the bundle published.
 */

interface NetworkFault {
  name: string;
  title: string;
  rules: FaultPlanInput['rules'];
  requirements: string[];
  /** What the Edge answered each faulted call; null when no answer came. */
  answer: number | null;
  /** Distribution's attempts: 2 when the fault made it retry. */
  attempts: number;
}

const ON_START = { service: 'distribution', direction: 'outbound', route: edpPaths.transactions, method: 'POST' } as const;

const FAULTS: NetworkFault[] = [
  {
    name: 'stalled-upload',
    title: "every file's first upload stalls for 200 ms before it is sent and is given up; the retry on the same transaction publishes the bundle",
    rules: [onUploads({ kind: 'hang', ms: 200 }, [1])],
    requirements: ['EDP-TX-4', 'EDP-PUB-2'],
    answer: null,
    attempts: 2,
  },
  {
    name: 'start-unavailable',
    title: "Distribution's first start meets a 503 before reaching the Edge; the retried start opens the transaction and the bundle publishes",
    rules: [{ ...ON_START, nth: [1], fault: { kind: 'status', status: 503 } }],
    requirements: ['EDP-TX-3', 'EDP-PUB-2'],
    answer: 503,
    attempts: 2,
  },
  {
    name: 'slow-start',
    title: 'a start delayed by 150 ms opens the transaction as usual and the bundle publishes on the first attempt',
    rules: [{ ...ON_START, fault: { kind: 'latency', ms: 150 } }],
    requirements: ['EDP-TX-3', 'EDP-PUB-2'],
    answer: 201,
    attempts: 1,
  },
  {
    name: 'bandwidth-limited-upload',
    title: 'uploads released at 400 kB/s are accepted with 201 and the bundle publishes on the first attempt',
    rules: [onUploads({ kind: 'bandwidth', bytesPerSecond: 400_000 }, [1])],
    requirements: ['EDP-FILE-5', 'EDP-PUB-2'],
    answer: 201,
    attempts: 1,
  },
  {
    name: 'slow-close-upload',
    title: 'uploads without Content-Length whose end comes 150 ms after their last byte are accepted with 201 and the bundle publishes on the first attempt',
    rules: [onUploads({ kind: 'slow-close', ms: 150 }, [1])],
    requirements: ['EDP-FILE-5', 'EDP-PUB-2'],
    answer: 201,
    attempts: 1,
  },
];

export const networkFaultScenarios: Scenario[] = FAULTS.map((f) =>
  scenario({
    id: `transfer/${f.name}`,
    title: f.title,
    requirements: f.requirements,
    async run(t) {
      const flow = await startFlow(t, { plan: faultPlan(t, f.title, f.rules) });
      const bundle = await release(flow);
      const tracker = await t.step('distribute through the fault', () => distribute(flow, '1.0.0'));
      expect(tracker, JSON.stringify(tracker)).toMatchObject({
        status: 'Completed',
        sites: [{ status: 'Completed', attempts: f.attempts, distributed_files: 3 }],
      });
      const faulted = edpCalls(flow.platform).filter((c) => c.fault !== undefined);
      expect(faulted.length, 'the plan never fired').toBeGreaterThan(0);
      expect(faulted.map((c) => c.status)).toEqual(faulted.map(() => f.answer));
      await expectPublished(t, t.edge, bundle.artifacts);
    },
  }),
);
