import type { FieldName } from './fields.ts';

/** A parsed `items.find(...)` query, ready to run. */

export type Operator = '$eq' | '$ne' | '$match' | '$nmatch' | '$gt' | '$gte' | '$lt' | '$lte';

export const OPERATORS: readonly Operator[] = ['$eq', '$ne', '$match', '$nmatch', '$gt', '$gte', '$lt', '$lte'];

export type Criterion =
  | { kind: 'and'; criteria: Criterion[] }
  | { kind: 'or'; criteria: Criterion[] }
  /** Number and date fields hold numbers (dates as ms since the epoch); the others strings. */
  | { kind: 'field'; field: FieldName; op: Operator; value: string | number }
  /** `@key`: compared with each of the item's values for that key. */
  | { kind: 'property'; key: string; op: Operator; value: string };

export interface AqlQuery {
  criteria: Criterion;
  /** Item fields shown in each result, in order. */
  output: FieldName[];
  /** Which properties each result lists: all of them, none, or these keys. */
  properties: 'all' | 'none' | string[];
  sort?: { direction: 'asc' | 'desc'; fields: FieldName[] };
  offset: number;
  limit?: number;
}
