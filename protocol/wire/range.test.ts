import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRange, type RangeDecision } from './range.ts';

/** Fixed, so a failure replays; fast-check prints it with the counterexample's path. */
const SEED = 9110;

type Spec = { first: number; last?: number } | { suffix: number };

const specText = (spec: Spec): string => ('suffix' in spec ? `-${spec.suffix}` : `${spec.first}-${spec.last === undefined ? '' : spec.last}`);

/** RFC 9110 §14.1.2 for one well-formed byte-range-spec, written from the text. */
function rfcDecision(spec: Spec, size: number): RangeDecision {
  if ('suffix' in spec) {
    // "If the selected representation is shorter than the specified suffix-length, the entire
    // representation is used"; a zero suffix-length or an empty representation selects nothing.
    if (spec.suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - spec.suffix), end: size - 1 };
  }
  // A last-pos below first-pos is invalid (§14.1.1); rejecting it is one of the two answers §14.2 allows.
  if (spec.last !== undefined && spec.last < spec.first) return { kind: 'unsatisfiable' };
  if (spec.first >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start: spec.first, end: Math.min(spec.last ?? size - 1, size - 1) };
}

const position = fc.nat({ max: 300 });
const spec: fc.Arbitrary<Spec> = fc.oneof(fc.record({ first: position, last: position }), fc.record({ first: position }), fc.record({ suffix: position }));
const size = fc.nat({ max: 200 });

describe(`evaluateRange (RFC 9110 §14; seed ${SEED})`, () => {
  it('EDGE-ART-5: decides one well-formed byte range as the RFC text does', () => {
    fc.assert(
      fc.property(spec, size, (s, n) => {
        expect(evaluateRange(`bytes=${specText(s)}`, n)).toEqual(rfcDecision(s, n));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('EDGE-ART-5: serves several ranges as the whole file, unless none of them can be satisfied', () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 2, maxLength: 4 }), size, (specs, n) => {
        const decisions = specs.map((s) => rfcDecision(s, n));
        const parts = decisions.filter((d): d is Extract<RangeDecision, { kind: 'part' }> => d.kind === 'part');
        const decision = evaluateRange(`bytes=${specs.map(specText).join(',')}`, n);
        if (parts.length === 0) expect(decision.kind).toBe('unsatisfiable');
        // Overlapping or adjacent parts combine into one range; disjoint ones are ignored (whole file).
        else if (decision.kind === 'part') for (const p of parts) expect([decision.start <= p.start, p.end <= decision.end]).toEqual([true, true]);
        else expect(decision.kind).toBe('whole');
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('ignores a Range it does not understand (other units, no "=")', () => {
    expect(evaluateRange('items=0-4', 10)).toEqual({ kind: 'whole' });
    expect(evaluateRange('bytes', 10)).toEqual({ kind: 'whole' });
  });

  it('EDGE-ART-5: a suffix longer than the file selects the whole file (RFC 9110 §14.1.2)', () => {
    expect(evaluateRange('bytes=-100', 25)).toEqual({ kind: 'part', start: 0, end: 24 });
    expect(evaluateRange('bytes=-0', 25)).toEqual({ kind: 'unsatisfiable' });
    expect(evaluateRange('bytes=-5', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
