import { afterEach, describe, expect, it } from 'vitest';
import { EDP_BASE, edpPaths } from '../protocol/wire/edp.ts';
import type { FaultPlanInput } from '../simulator/faults/plan.ts';
import { parseFaultPlan } from '../simulator/faults/plan.ts';
import { createSignedBundle, distribute, download, sha256, SOURCE_FILES, startFlow, type Flow, type Tracker } from './sim-platform-kit.ts';

/**
 * Issue #5: the same flow under each fault kind. Faults the Edge must notice (corrupted,
 * truncated or mislabelled bytes) are noticed — the Edge refuses them — and Distribution
 * retries to success; faults it must survive (latency, bandwidth, resets, hangs, slow closes,
 * a 503) are survived; a permanent refusal ends in `Failed` with a precise `general_error`.
 * The same plan and seed give the same faults, run after run.
 */
const UPLOADS = `${EDP_BASE}/transactions/*/files/**`;
// Per file path, the source's first PUT is the checksum deploy, the second the upload.
const FIRST_UPLOAD = { service: 'source' as const, direction: 'outbound' as const, route: UPLOADS, method: 'PUT', nth: [2] };
const START = { service: 'distribution' as const, direction: 'outbound' as const, route: edpPaths.transactions, method: 'POST' };

interface Scenario {
  name: string;
  rules: FaultPlanInput['rules'];
  /** What the Edge answers the faulted exchange, when it answers at all. */
  edgeAnswer?: number;
  end: 'Completed' | 'Failed';
  retried: boolean;
  generalError?: RegExp;
}

const SCENARIOS: Scenario[] = [
  { name: 'corrupt byte in an upload', rules: [{ ...FIRST_UPLOAD, fault: { kind: 'corrupt', offset: 7 } }], edgeAnswer: 409, end: 'Completed', retried: true },
  { name: 'truncated upload', rules: [{ ...FIRST_UPLOAD, fault: { kind: 'truncate', afterBytes: 10 } }], edgeAnswer: 409, end: 'Completed', retried: true },
  {
    name: 'wrong X-Checksum-Sha256',
    rules: [{ ...FIRST_UPLOAD, fault: { kind: 'checksum-header', mode: 'wrong' } }],
    edgeAnswer: 409,
    end: 'Completed',
    retried: true,
  },
  { name: 'connection reset mid-upload', rules: [{ ...FIRST_UPLOAD, fault: { kind: 'reset', afterBytes: 5 } }], end: 'Completed', retried: true },
  { name: 'hang then close', rules: [{ ...FIRST_UPLOAD, fault: { kind: 'hang', ms: 200 } }], end: 'Completed', retried: true },
  { name: 'HTTP 503 on start', rules: [{ ...START, nth: [1], fault: { kind: 'status', status: 503 } }], end: 'Completed', retried: true },
  { name: 'latency on every Edge call', rules: [{ ...START, fault: { kind: 'latency', ms: 150 } }], end: 'Completed', retried: false },
  {
    name: 'bandwidth limit on uploads',
    rules: [{ ...FIRST_UPLOAD, fault: { kind: 'bandwidth', bytesPerSecond: 400_000 } }],
    edgeAnswer: 201,
    end: 'Completed',
    retried: false,
  },
  { name: 'slow close of uploads', rules: [{ ...FIRST_UPLOAD, fault: { kind: 'slow-close', ms: 150 } }], edgeAnswer: 201, end: 'Completed', retried: false },
  {
    name: 'X-Checksum-Sha256 missing (a permanent refusal)',
    rules: [{ ...FIRST_UPLOAD, fault: { kind: 'checksum-header', mode: 'missing' } }],
    edgeAnswer: 400,
    end: 'Failed',
    retried: false,
    generalError: /400.*BAD_REQUEST.*X-Checksum-Sha256 is required/,
  },
];

interface Outcome {
  tracker: Tracker;
  faults: string[];
}

async function run(scenario: Scenario, seed: number): Promise<{ flow: Flow; outcome: Outcome }> {
  const plan = parseFaultPlan({ seed, rules: scenario.rules.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))) });
  // One Edge: occurrence keys mask transaction ids, so two Edges' calls to the same path would
  // share one numbering (simulator/faults/README.md).
  const flow = await startFlow({ plan, countries: ['US'] });
  await createSignedBundle(flow, '1.0.0');
  await flow.dist('POST', '/keys/gpg/propagate');
  const tracker = await distribute(flow, '1.0.0', ['US']);
  await flow.platform.recorder.settled();
  const faults = flow.platform.recorder
    .entries()
    .filter((e) => e.fault)
    .map(
      (e) =>
        `${e.service} ${e.method} ${e.path.replace(/transactions\/[^/]+/, 'transactions/{tx}')} #${e.fault?.occurrence} ${e.fault?.kind} → ${e.status ?? 'no answer'}`,
    )
    .sort();
  return { flow, outcome: { tracker, faults } };
}

describe('the flow under seeded fault plans', () => {
  let open: Flow | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name} → ${scenario.end}`, { timeout: 60_000 }, async () => {
      const { flow, outcome } = await run(scenario, 20261125);
      open = flow;
      const { tracker, faults } = outcome;
      expect(faults.length, 'the plan never fired').toBeGreaterThan(0);
      if (scenario.edgeAnswer !== undefined)
        expect(
          faults.every((f) => f.endsWith(`→ ${scenario.edgeAnswer}`)),
          faults.join('\n'),
        ).toBe(true);
      expect(tracker.status, JSON.stringify(tracker.sites)).toBe(scenario.end);
      for (const site of tracker.sites) {
        expect(site.status).toBe(scenario.end);
        expect((site.attempts ?? 1) > 1, `attempts of ${site.target_artifactory.name}`).toBe(scenario.retried);
        if (scenario.generalError) expect(site.general_error).toMatch(scenario.generalError);
      }
      for (const { edge } of flow.sites) {
        for (const file of SOURCE_FILES) {
          const got = await download(edge, `prod-local/${file.path}`);
          // Completed: every signed byte is there. Failed: nothing of the bundle is visible.
          if (scenario.end === 'Completed') expect(got).toEqual({ status: 200, sha256: sha256(file.bytes) });
          else expect(got.status).toBe(404);
        }
      }
    });
  }

  it('the same plan and seed give the same faults and the same end state', { timeout: 120_000 }, async () => {
    const scenario: Scenario = {
      name: 'probabilistic corruption',
      rules: [{ service: 'source', direction: 'outbound', route: UPLOADS, method: 'PUT', probability: 0.5, fault: { kind: 'corrupt', offset: 3 } }],
      end: 'Completed',
      retried: true,
    };
    const first = await run(scenario, 7);
    await first.flow.close();
    const second = await run(scenario, 7);
    open = second.flow;
    expect(second.outcome.faults).toEqual(first.outcome.faults);
    expect(second.outcome.tracker.sites.map((s) => [s.status, s.attempts])).toEqual(first.outcome.tracker.sites.map((s) => [s.status, s.attempts]));
    expect(first.outcome.faults.length).toBeGreaterThan(0);
  });
});
