import rangeParser from 'range-parser';

/** What a `Range` header asks of a representation of `size` bytes (RFC 9110 §14). */
export type RangeDecision = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * One satisfiable byte range is served as 206; a range that cannot be satisfied is a 416. A
 * malformed range, a unit other than bytes and multi-part ranges are ignored, as RFC 9110
 * §14.2 allows: the whole file follows. Overlapping ranges are combined first.
 */
export function evaluateRange(header: string, size: number): RangeDecision {
  const parsed = rangeParser(size, clampSuffixes(header, size), { combine: true });
  if (parsed === -1) return { kind: 'unsatisfiable' };
  if (parsed === -2 || parsed.type !== 'bytes' || parsed.length !== 1) return { kind: 'whole' };
  const { start, end } = parsed[0] as { start: number; end: number };
  return { kind: 'part', start, end };
}

/** §14.1.2: a suffix longer than the representation selects all of it; range-parser would refuse it. */
function clampSuffixes(header: string, size: number): string {
  return header.replace(/([=,]\s*)-(\d+)/g, (spec: string, before: string, digits: string) => (size > 0 && Number(digits) > size ? `${before}-${size}` : spec));
}
