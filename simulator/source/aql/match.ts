import { propertyValues } from '../../../protocol/wire/properties.ts';
import type { Item } from '../state.ts';
import type { Criterion, Operator } from './ast.ts';
import { fieldValue } from './fields.ts';

/**
 * AQL's `$match` pattern: `*` is any run of characters (`/` included), `?` exactly one
 * character; everything else is literal and case-sensitive (there is no escape, as in the SQL
 * LIKE it becomes). Characters are Unicode code points, so `?` matches one emoji. Greedy
 * two-pointer matching with one backtrack point: O(pattern × text) at worst, never exponential,
 * whatever the pattern (a regex built from `*a*a*a*b` is not so kind).
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  let pi = 0;
  let ti = 0;
  // Where the last '*' was, and how much of the text it has swallowed so far.
  let star = -1;
  let starText = 0;
  while (ti < t.length) {
    const pc = p[pi];
    if (pc === '*') {
      star = pi++;
      starText = ti;
    } else if (pc !== undefined && (pc === '?' || pc === t[ti])) {
      pi++;
      ti++;
    } else if (star >= 0) {
      // Let the last '*' swallow one more character and retry from just after it.
      pi = star + 1;
      ti = ++starText;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

export function matches(item: Item, criterion: Criterion): boolean {
  switch (criterion.kind) {
    case 'and':
      return criterion.criteria.every((inner) => matches(item, inner));
    case 'or':
      return criterion.criteria.some((inner) => matches(item, inner));
    case 'field': {
      if (criterion.field === 'type' && criterion.value === 'any') return criterion.op === '$eq';
      const actual = fieldValue(item, criterion.field);
      // A folder has no checksums: it equals nothing and differs from everything.
      if (actual === undefined) return isNegative(criterion.op);
      return compare(criterion.op, actual, criterion.value);
    }
    case 'property': {
      const values = propertyValues(item.properties, criterion.key) ?? [];
      // A negative operator holds when no value of the key is (or matches) the operand, which
      // includes items without the key at all; a positive one needs some value to satisfy it.
      if (isNegative(criterion.op)) {
        const positive = criterion.op === '$ne' ? '$eq' : '$match';
        return !values.some((value) => compare(positive, value, criterion.value));
      }
      return values.some((value) => compare(criterion.op, value, criterion.value));
    }
  }
}

function isNegative(op: Operator): boolean {
  return op === '$ne' || op === '$nmatch';
}

/** Operands have the field's type (the parser sees to it): text with text, numbers with numbers. */
function compare(op: Operator, actual: string | number, operand: string | number): boolean {
  switch (op) {
    case '$eq':
      return actual === operand;
    case '$ne':
      return actual !== operand;
    case '$match':
      return wildcardMatch(String(operand), String(actual));
    case '$nmatch':
      return !wildcardMatch(String(operand), String(actual));
    case '$gt':
      return actual > operand;
    case '$gte':
      return actual >= operand;
    case '$lt':
      return actual < operand;
    case '$lte':
      return actual <= operand;
  }
}
