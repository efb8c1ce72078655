import { describe, expect, it } from 'vitest';
import type { ServiceName } from '../names/services.ts';
import { FaultInjector, type ExchangeKey } from './injector.ts';
import { FaultPlanError, type FaultPlanInput } from './plan.ts';

type RuleInput = FaultPlanInput['rules'][number];

const latency = { kind: 'latency', ms: 1 } as const;
const base: RuleInput = { service: '*', direction: 'inbound', route: '/**', fault: latency };

function injector(rules: RuleInput[], seed = 42): FaultInjector {
  return FaultInjector.fromJSON({ seed, rules });
}

function key(path: string, overrides: Partial<ExchangeKey> = {}): ExchangeKey {
  return { service: 'upstream', direction: 'inbound', method: 'GET', path, ...overrides };
}

/** Which of `paths` got a fault, asked in the given order. */
function faulted(faults: FaultInjector, paths: readonly string[]): string[] {
  return paths.filter((path) => faults.decide(key(path)) !== null).sort();
}

const PATHS = Array.from({ length: 200 }, (_, i) => `/artifactory/repo/file-${i}.bin`);

describe('FaultInjector', () => {
  it('selects by service, direction, method and route', () => {
    const faults = injector([{ ...base, service: 'source', direction: 'outbound', method: 'PUT', route: '/artifactory/*/files/**' }]);
    const put = { service: 'source' as ServiceName, direction: 'outbound' as const, method: 'PUT' };
    expect(faults.decide(key('/artifactory/tx/files/a/b.bin', put))).not.toBeNull();
    expect(faults.decide(key('/artifactory/tx/files/a/b.bin', { ...put, service: 'upstream' }))).toBeNull();
    expect(faults.decide(key('/artifactory/tx/files/a/b.bin', { ...put, direction: 'inbound' }))).toBeNull();
    expect(faults.decide(key('/artifactory/tx/files/a/b.bin', { ...put, method: 'POST' }))).toBeNull();
    expect(faults.decide(key('/artifactory/tx/commit', put))).toBeNull();
  });

  it('counts occurrences per rule, service, method and path; nth picks among them', () => {
    const faults = injector([{ ...base, nth: [1, 3] }]);
    const decisions = ['/a', '/a', '/b', '/a', '/a', '/b'].map((path) => faults.decide(key(path))?.occurrence ?? null);
    expect(decisions).toEqual([1, null, 1, 3, null, null]);
    expect(faults.decide(key('/a', { method: 'HEAD' }))?.occurrence).toBe(1);
    expect(faults.decide(key('/a', { service: 'source' }))?.occurrence).toBe(1);
  });

  it('a single nth number means just that occurrence', () => {
    const faults = injector([{ ...base, nth: 2 }]);
    expect([1, 2, 3].map(() => faults.decide(key('/a')) !== null)).toEqual([false, true, false]);
  });

  it('fires the first rule that fires, while every matching rule keeps counting', () => {
    const faults = injector([
      { ...base, nth: 1, fault: { kind: 'status', status: 503 } },
      { ...base, nth: 2, fault: { kind: 'reset', afterBytes: 0 } },
      { ...base, nth: 1, fault: latency },
    ]);
    const decisions = [1, 2, 3].map(() => faults.decide(key('/a')));
    expect(decisions.map((decision) => decision && [decision.rule, decision.fault.kind, decision.occurrence])).toEqual([
      [0, 'status', 1],
      [1, 'reset', 2],
      null,
    ]);
  });

  it('probability 0 never fires and 1 always does', () => {
    expect(faulted(injector([{ ...base, probability: 0 }]), PATHS)).toEqual([]);
    expect(faulted(injector([{ ...base, probability: 1 }]), PATHS)).toEqual([...PATHS].sort());
  });

  it('probability draws depend on the seed only, not on the order of the exchanges', () => {
    const rules: RuleInput[] = [{ ...base, probability: 0.5 }];
    const inOrder = faulted(injector(rules, 7), PATHS);
    const reversed = faulted(injector(rules, 7), [...PATHS].reverse());
    const interleaved = faulted(injector(rules, 7), [...PATHS.filter((_, i) => i % 2), ...PATHS.filter((_, i) => i % 2 === 0)]);
    expect(reversed).toEqual(inOrder);
    expect(interleaved).toEqual(inOrder);
    // About half fire: the draws are uniform, not skewed.
    expect(inOrder.length).toBeGreaterThan(70);
    expect(inOrder.length).toBeLessThan(130);
    expect(faulted(injector(rules, 8), PATHS)).not.toEqual(inOrder);
  });

  it('draws again for each occurrence of the same path', () => {
    const faults = injector([{ ...base, probability: 0.5 }]);
    const occurrences = Array.from({ length: 40 }, () => faults.decide(key('/same')) !== null);
    expect(occurrences).toContain(true);
    expect(occurrences).toContain(false);
  });

  it('fromJSON refuses an invalid plan with a FaultPlanError', () => {
    expect(() => FaultInjector.fromJSON({ seed: 1, rules: [{ ...base, nth: 0 }] })).toThrow(FaultPlanError);
  });
});
