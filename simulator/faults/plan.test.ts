import { describe, expect, it } from 'vitest';
import { FaultPlanError, parseFaultPlan } from './plan.ts';

const rule = { service: 'upstream', direction: 'inbound', route: '/**', fault: { kind: 'latency', ms: 10 } };

function problems(input: unknown): string {
  try {
    parseFaultPlan(input);
  } catch (error) {
    expect(error).toBeInstanceOf(FaultPlanError);
    return (error as Error).message;
  }
  return expect.unreachable('the plan should have been refused');
}

describe('parseFaultPlan', () => {
  it('accepts a plan and fills in the documented defaults', () => {
    const plan = parseFaultPlan({
      seed: 1,
      rules: [
        { ...rule, fault: { kind: 'corrupt', offset: 3 } },
        { ...rule, fault: { kind: 'checksum-header', mode: 'missing' } },
        { ...rule, fault: { kind: 'checksum-header', mode: 'wrong', header: 'X-Checksum-Sha1' } },
      ],
    });
    expect(plan.rules[0]?.fault).toEqual({ kind: 'corrupt', offset: 3, xor: 255 });
    expect(plan.rules[1]?.fault).toEqual({ kind: 'checksum-header', mode: 'missing', header: 'x-checksum-sha256' });
    expect(plan.rules[2]?.fault).toMatchObject({ header: 'x-checksum-sha1' });
  });

  it('names the path of a wrong type', () => {
    expect(problems({ seed: 1, rules: [rule, { ...rule, fault: { kind: 'latency', ms: '10' } }] })).toMatch(
      /rules\[1\]\.fault\.ms: Invalid input: expected number, received string/,
    );
  });

  it('names every unknown key, at any depth', () => {
    const message = problems({ seed: 1, seeds: 2, rules: [{ ...rule, rout: '/x', fault: { kind: 'latency', ms: 1, jitter: 5 } }] });
    expect(message).toMatch(/^ {2}seeds: unknown key$/m);
    expect(message).toMatch(/^ {2}rules\[0\]\.rout: unknown key$/m);
    expect(message).toMatch(/^ {2}rules\[0\]\.fault\.jitter: unknown key$/m);
  });

  it('names an unknown fault kind and lists the known ones', () => {
    expect(problems({ seed: 1, rules: [{ ...rule, fault: { kind: 'packet-loss' } }] })).toMatch(
      /rules\[0\]\.fault\.kind: Invalid discriminator value\. Expected 'latency' \| 'bandwidth'/,
    );
  });

  it('refuses values outside their range', () => {
    const message = problems({
      seed: 1.5,
      rules: [
        { ...rule, probability: 1.5 },
        { ...rule, nth: [0] },
        { ...rule, service: 'edge' },
        { ...rule, method: 'put' },
        { ...rule, route: 'artifactory/**' },
        { ...rule, fault: { kind: 'corrupt', offset: 0, xor: 0 } },
        { ...rule, fault: { kind: 'status', status: 99 } },
        { ...rule, fault: { kind: 'bandwidth', bytesPerSecond: 0 } },
      ],
    });
    for (const path of [
      'seed',
      'rules[0].probability',
      'rules[1].nth[0]',
      'rules[2].service',
      'rules[3].method',
      'rules[4].route',
      'rules[5].fault.xor',
      'rules[6].fault.status',
      'rules[7].fault.bytesPerSecond',
    ]) {
      expect(message).toContain(`\n  ${path}: `);
    }
  });

  it('refuses a body on a status that cannot carry one', () => {
    expect(problems({ seed: 1, rules: [{ ...rule, fault: { kind: 'status', status: 204, body: 'x' } }] })).toMatch(
      /rules\[0\]\.fault\.body: statuses 204, 205 and 304 cannot carry a body/,
    );
  });

  it('names the root when the plan is not an object', () => {
    expect(problems([])).toMatch(/\(plan\): Invalid input: expected object, received array/);
  });
});
