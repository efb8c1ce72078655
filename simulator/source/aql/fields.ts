import { nameOf } from '../../../protocol/paths.ts';
import { aqlPathOf, type Item } from '../state.ts';

/**
 * The item fields this AQL subset knows (names as in JFrog's AQL field table). `kind` decides
 * how values are parsed and compared: text by code units, numbers and dates numerically,
 * `type` only by equality.
 */
export type FieldKind = 'text' | 'number' | 'date' | 'type';

interface FieldSpec {
  kind: FieldKind;
  get: (item: Item) => string | number | undefined;
}

export const FIELDS = {
  repo: { kind: 'text', get: (item) => item.repo },
  path: { kind: 'text', get: aqlPathOf },
  name: { kind: 'text', get: (item) => nameOf(item.path) },
  type: { kind: 'type', get: (item) => item.kind },
  // AQL reports folders with size 0.
  size: { kind: 'number', get: (item) => (item.kind === 'file' ? item.size : 0) },
  created: { kind: 'date', get: (item) => item.created },
  created_by: { kind: 'text', get: (item) => item.createdBy },
  modified: { kind: 'date', get: (item) => item.modified },
  modified_by: { kind: 'text', get: (item) => item.modifiedBy },
  updated: { kind: 'date', get: (item) => item.modified },
  sha256: { kind: 'text', get: (item) => (item.kind === 'file' ? item.checksums.sha256 : undefined) },
  actual_sha1: { kind: 'text', get: (item) => (item.kind === 'file' ? item.checksums.sha1 : undefined) },
  actual_md5: { kind: 'text', get: (item) => (item.kind === 'file' ? item.checksums.md5 : undefined) },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** What `items.find()` shows without `.include` (JFrog's AQL execution sample). */
export const DEFAULT_OUTPUT: readonly FieldName[] = ['repo', 'path', 'name', 'type', 'size', 'created', 'created_by', 'modified', 'modified_by', 'updated'];

/** `.include("*")`: every item field. */
export const ALL_OUTPUT: readonly FieldName[] = Object.keys(FIELDS) as FieldName[];

export function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(FIELDS, name);
}

export function fieldValue(item: Item, field: FieldName): string | number | undefined {
  return (FIELDS[field] as FieldSpec).get(item);
}
