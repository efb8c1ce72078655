import { describe, expect, it } from 'vitest';
import { covers, expired, parseXfail, XfailFileError } from './xfail.ts';

/** Expected-failure files (issue #10): what a valid one is, and what a waiver covers and until when. */

const entry = { requirement: 'EDGE-SYS-2', reason: 'licence type pending', expires: '2026-12-31' };

describe('expected-failure files', () => {
  it('reads entries with an optional scenario', () => {
    expect(parseXfail({ expectedFailures: [entry, { ...entry, scenario: 'system/license-is-edge' }] })).toEqual([
      entry,
      { ...entry, scenario: 'system/license-is-edge' },
    ]);
  });

  it.each([
    ['no list', {}, 'expectedFailures: '],
    [
      'a requirement that is not an ID',
      { expectedFailures: [{ ...entry, requirement: 'sys-2' }] },
      'expectedFailures.0.requirement: a requirement ID such as EDGE-RO-1',
    ],
    ['an empty reason', { expectedFailures: [{ ...entry, reason: '' }] }, 'expectedFailures.0.reason: '],
    ['an expiry that is not a date', { expectedFailures: [{ ...entry, expires: '31/12/2026' }] }, 'expectedFailures.0.expires: '],
    ['a misspelt member', { expectedFailures: [{ ...entry, expiry: '2026-12-31' }] }, 'expectedFailures.0: '],
  ])('refuses %s, naming the member', (_, input, problem) => {
    expect(() => parseXfail(input, 'waivers.json')).toThrow(XfailFileError);
    expect(() => parseXfail(input, 'waivers.json')).toThrow(`waivers.json: ${problem}`);
  });

  it('a waiver covers the scenarios that name its requirement, or the one scenario it names', () => {
    const licence = { id: 'system/license-is-edge', requirements: ['EDGE-SYS-2'] };
    expect(covers(entry, licence)).toBe(true);
    expect(covers({ ...entry, scenario: 'system/license-is-edge' }, licence)).toBe(true);
    expect(covers({ ...entry, scenario: 'system/other' }, licence)).toBe(false);
    expect(covers({ ...entry, requirement: 'EDGE-SYS-1' }, licence)).toBe(false);
  });

  it('the expiry date is the last day a waiver holds', () => {
    expect(expired(entry, '2026-12-31')).toBe(false);
    expect(expired(entry, '2027-01-01')).toBe(true);
  });
});
