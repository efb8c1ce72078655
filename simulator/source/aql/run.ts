import { compareText, type Item } from '../state.ts';
import type { AqlQuery } from './ast.ts';
import { FIELDS, fieldValue, type FieldName } from './fields.ts';
import { matches } from './match.ts';

export interface AqlResponse {
  results: Record<string, unknown>[];
  range: { start_pos: number; end_pos: number; total: number; limit?: number };
}

const DEFAULT_ORDER: readonly FieldName[] = ['repo', 'path', 'name'];

/**
 * Runs a parsed query over the items. The answer has Artifactory's shape (JFrog's AQL
 * execution page): `results` plus `range`, where `total` counts the results returned, as
 * Artifactory's streaming output does, and `limit` appears only when the query had one.
 */
export function runAql(items: Iterable<Item>, query: AqlQuery): AqlResponse {
  const found = [...items].filter((item) => matches(item, query.criteria));
  // A fixed default order (repo, path, name) keeps answers reproducible; .sort() refines it.
  found.sort((a, b) => compareBy(DEFAULT_ORDER, a, b));
  const { sort } = query;
  if (sort) {
    const sign = sort.direction === 'asc' ? 1 : -1;
    found.sort((a, b) => sign * compareBy(sort.fields, a, b));
  }
  const page = found.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
  return {
    results: page.map((item) => row(item, query)),
    range: {
      start_pos: query.offset,
      end_pos: query.offset + page.length,
      total: page.length,
      ...(query.limit === undefined ? {} : { limit: query.limit }),
    },
  };
}

function row(item: Item, query: AqlQuery): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of query.output) {
    const value = fieldValue(item, field);
    if (value !== undefined) out[field] = outputValue(field, value);
  }
  if (query.properties !== 'none') {
    const wanted = query.properties;
    // AQL lists properties as one {key, value} per value.
    const properties = Object.entries(item.properties)
      .filter(([key]) => wanted === 'all' || wanted.includes(key))
      .flatMap(([key, values]) => values.map((value) => ({ key, value })));
    if (properties.length) out.properties = properties;
  }
  return out;
}

function outputValue(field: FieldName, value: string | number): string | number {
  return FIELDS[field].kind === 'date' ? new Date(value).toISOString() : value;
}

function compareBy(fields: readonly FieldName[], a: Item, b: Item): number {
  for (const field of fields) {
    const order = compareValues(fieldValue(a, field), fieldValue(b, field));
    if (order !== 0) return order;
  }
  return 0;
}

/** Missing values (a folder's checksums) sort first. */
function compareValues(a: string | number | undefined, b: string | number | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(String(a), String(b));
}
